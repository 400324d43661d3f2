// Reading and extending the CA's directory.
#include "tools/acme-front/directory.hpp"

#include <boost/json.hpp>

#include "core/acme/objects.hpp"
#include "tools/acme-front/orders.hpp"

namespace certmill::acmefront {

Result<DirectoryPaths> directory_paths(std::string_view directory_json) {
  auto directory = acme::decode_directory(directory_json);
  if (!directory)
    return directory.error();
  return DirectoryPaths{path_of(directory->new_nonce), path_of(directory->new_account),
                        path_of(directory->new_order)};
}

Result<std::string> extend_directory(std::string_view directory_json,
                                     const std::string& renewal_info_url,
                                     const std::map<std::string, std::string>& profiles) {
  boost::system::error_code ec;
  boost::json::value directory = boost::json::parse(directory_json, ec);
  if (ec || !directory.is_object())
    return Error(Errc::invalid_json, "the CA's directory is not a JSON object");
  auto& object = directory.as_object();
  object["renewalInfo"] = renewal_info_url;
  if (!profiles.empty()) {
    boost::json::value& meta = object["meta"];
    if (!meta.is_object())
      meta = boost::json::object();
    boost::json::object listed;
    for (const auto& [name, description] : profiles)
      listed[name] = description;
    meta.as_object()["profiles"] = std::move(listed);
  }
  return boost::json::serialize(directory);
}

}  // namespace certmill::acmefront
