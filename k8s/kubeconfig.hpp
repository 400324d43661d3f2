// Where certmill finds its API server and credentials, as every Kubernetes
// tool does: --kubeconfig, then $KUBECONFIG, then in-cluster (service account),
// then ~/.kube/config. The result is a ClientConfig ready for the transport.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::k8s {

struct ClientConfig {
  std::string server;  // https://host:port (or http:// for tests)
  std::string ca_pem;  // trusted CAs; empty means the system's
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  // overrides the name checked on the server's certificate
  std::string token;            // bearer token, when given inline
  std::string token_file;       // bearer token re-read from this file (bound tokens rotate)
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string namespace_;  // the context's namespace, "default" if unset
  std::string source;      // where this came from, for logs ("kubeconfig /x (context y)")
};

// Reads files and the environment; injected so every path is testable.
struct Environment {
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  std::function<Result<std::string>(const std::string& path)> read_file;
  std::function<bool(const std::string& path)> exists;
};
Environment process_environment();

// Parses kubeconfig YAML (or JSON) and resolves `context` (empty: the file's
// current-context). Relative file paths are relative to `base_dir`.
Result<ClientConfig> parse_kubeconfig(std::string_view yaml, std::string_view context,
                                      const std::string& base_dir, const Environment& env);

// The service-account configuration of a pod.
Result<ClientConfig> in_cluster_config(const Environment& env);

// The precedence above. `flag` is --kubeconfig (may be empty).
Result<ClientConfig> load_client_config(const std::string& flag, std::string_view context,
                                        const Environment& env);

}  // namespace certmill::k8s
