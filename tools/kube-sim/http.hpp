// The request and answer kube-sim's API layer works on, kept free of Beast so
// that only the server translation unit pays Beast's compile time.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace certmill::kubesim {

struct Watcher;

struct Request {
  std::string method;
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string user_agent;
  std::string accept;
  std::string content_type;
  std::string body;
  // Impersonate-User and Impersonate-Group (kubectl --as, --as-group).
  std::string impersonate_user = {};
  std::vector<std::string> impersonate_groups = {};
};

// Where an aggregated API's request goes (an APIService's Service), and who
// asked, for the X-Remote-User and X-Remote-Group headers it carries.
struct ProxyTarget {
  std::string origin;  // https://clusterIP:port
  std::string ca_pem;  // the APIService's caBundle
  bool insecure = false;
  std::string user;
  std::vector<std::string> groups;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for a watch: the server streams what this watcher receives.
  std::shared_ptr<Watcher> watch;
  std::chrono::seconds watch_timeout{0};
  // Set for a request to an aggregated API: the server forwards it there.
  std::optional<ProxyTarget> proxy;
};

// A parsed request target: path segments and decoded query parameters.
struct Target {
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;
  std::string param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return query.count(name) != 0; }
};

Target parse_target(const std::string& target);

}  // namespace certmill::kubesim
