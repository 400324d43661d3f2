// Kubernetes Status objects: every error kube-sim answers is one, shaped as
// kube-apiserver 1.26 shapes it (see shared/kube-api-golden).
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tools/kube-sim/http.hpp"

namespace certmill::kubesim {

struct Cause {
  std::string reason;
  std::string message;
  std::string field;
};

struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::string uid;
  std::vector<Cause> causes;
  int retry_after = 0;
  bool present = false;
};

boost::json::object status_object(int code, std::string_view reason, std::string_view message,
                                  const StatusDetails& details = {});
Response status_response(int code, std::string_view reason, std::string_view message,
                         const StatusDetails& details = {});
Response json_response(int code, const boost::json::value& body);
Response not_found_page();

// "group" as Kubernetes prints it in messages: "certificates.cert-manager.io"
// or just "secrets" for the core group.
std::string qualified(std::string_view name, std::string_view group);

}  // namespace certmill::kubesim
