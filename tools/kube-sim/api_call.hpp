// One API request as the verbs see it: the resource type and the object it
// names. Private to kube-sim's API files.
#pragma once

#include <string>
#include <vector>

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/rbac.hpp"

namespace certmill::kubesim {

struct Api::Call {
  const Request* request = nullptr;
  const Target* target = nullptr;
  TypePtr type;
  std::string ns;
  std::string name;
  std::string sub;
  bool ns_in_path = false;
  std::string verb;
  std::string user_agent;
  std::vector<std::string> warnings;
  // Who is asking, after impersonation; `admin` skips authorization.
  UserInfo user = {};
  bool admin = false;

  std::string param(const std::string& key) const { return target ? target->param(key) : ""; }
  bool has(const std::string& key) const { return target && target->has(key); }
};

}  // namespace certmill::kubesim
