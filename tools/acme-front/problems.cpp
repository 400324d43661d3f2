// Problem documents as JSON, with the media type RFC 7807 gives them.
#include "tools/acme-front/problems.hpp"

#include <boost/json.hpp>

namespace certmill::acmefront {

Response problem(unsigned status, std::string_view type, std::string_view detail) {
  boost::json::object body;
  body["type"] = "urn:ietf:params:acme:error:" + std::string(type);
  body["detail"] = detail;
  body["status"] = status;
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace certmill::acmefront
