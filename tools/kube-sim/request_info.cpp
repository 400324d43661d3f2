// The request-to-attributes mapping of Kubernetes'
// staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go.
#include "tools/kube-sim/request_info.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace certmill::kubesim {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The name a fieldSelector pins with metadata.name=X (or ==X), as list and
// watch requests for one object send it, so resourceNames can allow them.
std::string selected_name(const std::string& selector) {
  std::size_t start = 0;
  while (start <= selector.size()) {
    auto comma = selector.find(',', start);
    std::string term = selector.substr(start, comma == std::string::npos ? comma : comma - start);
    for (const char* prefix : {"metadata.name==", "metadata.name="}) {
      std::string_view p(prefix);
      if (term.starts_with(p)) {
        std::string name = term.substr(p.size());
        const bool valid = !name.empty() && name != "." && name != ".." &&
                           name.find_first_of("/%") == std::string::npos;
        return valid ? name : std::string();
      }
    }
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return {};
}

std::string method_verb(std::string_view method) {
  if (method == "POST")
    return "create";
  if (method == "GET" || method == "HEAD")
    return "get";
  if (method == "PUT")
    return "update";
  if (method == "PATCH")
    return "patch";
  if (method == "DELETE")
    return "delete";
  return "";
}

}  // namespace

Attributes request_attributes(std::string_view method, std::string_view path,
                              const Target& target) {
  Attributes a;
  a.path = std::string(path);
  a.verb = lower(std::string(method));
  std::vector<std::string> parts = target.segments;
  // /api/v1 and /apis/G/V, the groups and the roots are discovery paths.
  if (parts.size() < 3 || (parts[0] != "api" && parts[0] != "apis"))
    return a;
  std::size_t at = 1;
  if (parts[0] == "apis") {
    if (parts.size() < 4)
      return a;
    a.group = parts[at++];
  }
  a.resource_request = true;
  a.version = parts[at++];
  parts.erase(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(at));
  const bool special = parts[0] == "proxy" || parts[0] == "watch";
  if (special && parts.size() >= 2) {
    a.verb = parts[0];
    parts.erase(parts.begin());
  } else {
    a.verb = method_verb(method);
  }
  if (parts[0] == "namespaces") {
    if (parts.size() > 1) {
      a.ns = parts[1];
      // /namespaces/NS/status and /finalize are the Namespace's own.
      if (parts.size() > 2 && parts[2] != "status" && parts[2] != "finalize")
        parts.erase(parts.begin(), parts.begin() + 2);
    }
  }
  if (parts.size() >= 3 && a.verb != "proxy")
    a.subresource = parts[2];
  if (parts.size() >= 2)
    a.name = parts[1];
  a.resource = parts[0];
  if (a.name.empty() && a.verb == "get") {
    const std::string watch = lower(target.param("watch"));
    a.verb = target.has("watch") && watch != "0" && watch != "false" ? "watch" : "list";
    a.name = selected_name(target.param("fieldSelector"));
  }
  if (a.name.empty() && a.verb == "delete")
    a.verb = "deletecollection";
  return a;
}

}  // namespace certmill::kubesim
