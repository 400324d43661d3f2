// Helpers the object verbs' files (objects*.cpp) share: decoding a request
// and the Status answers several verbs give. Private to those files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "tools/kube-sim/http.hpp"
#include "tools/kube-sim/resources.hpp"
#include "tools/kube-sim/selectors.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

// objects_request.cpp

// The labelSelector and fieldSelector of a list, watch or deletecollection
// (custom resources allow field selectors on metadata.name and
// metadata.namespace only); false, with the reason in `error`, when either
// does not parse.
bool parse_selectors(const std::string& label_text, const std::string& field_text, bool builtin,
                     std::optional<Selector>& labels, std::optional<Selector>& fields,
                     std::string& error);
// The media type without its parameters ("; charset=utf-8").
std::string base_type(std::string_view content_type);
// A request body (JSON, YAML or protobuf) as a JSON object; false, with the
// answer to give in `error`, when it is none.
bool parse_object(const std::string& body, std::string_view content_type, const ResourceType& t,
                  boost::json::object& out, Response& error);
bool uint_param(const std::string& text, std::uint64_t& out);

// objects_errors.cpp

StatusDetails details_for(const ResourceType& t, std::string_view name, bool kind_is_plural);
Response not_found(const ResourceType& t, std::string_view name);
Response conflict(const ResourceType& t, std::string_view name);
Response invalid(const ResourceType& t, std::string_view name, std::vector<Cause> causes,
                 bool kind_is_plural = false);
Response bad_request(std::string_view message);

// objects_gc.cpp

boost::json::array finalizers_of(const boost::json::object& o);

}  // namespace certmill::kubesim
