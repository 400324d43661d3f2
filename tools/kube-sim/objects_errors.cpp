// The Status answers several object verbs give, worded as kube-apiserver words
// them so clients that match on messages behave the same against kube-sim.
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/validation.hpp"

namespace certmill::kubesim {

StatusDetails details_for(const ResourceType& t, std::string_view name, bool kind_is_plural) {
  StatusDetails d;
  d.present = true;
  d.name = name;
  d.group = t.group;
  d.kind = kind_is_plural ? t.plural : t.kind;
  return d;
}

Response not_found(const ResourceType& t, std::string_view name) {
  return status_response(404, "NotFound",
                         qualified(t.plural, t.group) + " \"" + std::string(name) + "\" not found",
                         details_for(t, name, true));
}

Response conflict(const ResourceType& t, std::string_view name) {
  return status_response(409, "Conflict",
                         "Operation cannot be fulfilled on " + qualified(t.plural, t.group) +
                             " \"" + std::string(name) +
                             "\": the object has been modified; please apply your changes to the "
                             "latest version and try again",
                         details_for(t, name, true));
}

Response invalid(const ResourceType& t, std::string_view name, std::vector<Cause> causes,
                 bool kind_is_plural) {
  StatusDetails d = details_for(t, name, kind_is_plural);
  d.causes = causes;
  std::string what = kind_is_plural ? qualified(t.plural, t.group) : qualified(t.kind, t.group);
  return status_response(422, "Invalid", invalid_message(what, name, causes), d);
}

Response bad_request(std::string_view message) {
  return status_response(400, "BadRequest", message);
}

}  // namespace certmill::kubesim
