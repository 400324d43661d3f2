// Kubeconfig parsing and resolution. Contradictions that client-go rejects
// are rejected here too, with the field named, before any connection is made.
#include "k8s/kubeconfig.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base64.hpp"
#include "core/json/codec.hpp"
#include "k8s/yaml.hpp"

namespace certmill::k8s {
namespace kc {

struct Cluster {
  std::string server;
  std::string certificate_authority;
  std::string certificate_authority_data;
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  bool operator==(const Cluster&) const = default;
};
struct NamedCluster {
  std::string name;
  Cluster cluster;
  bool operator==(const NamedCluster&) const = default;
};
struct User {
  std::string token;
  std::string token_file;
  std::string client_certificate;
  std::string client_certificate_data;
  std::string client_key;
  std::string client_key_data;
  api::RawJson exec;
  bool operator==(const User&) const = default;
};
struct NamedUser {
  std::string name;
  User user;
  bool operator==(const NamedUser&) const = default;
};
struct Context {
  std::string cluster;
  std::string user;
  std::string namespace_;
  bool operator==(const Context&) const = default;
};
struct NamedContext {
  std::string name;
  Context context;
  bool operator==(const NamedContext&) const = default;
};
struct Config {
  std::vector<NamedCluster> clusters;
  std::vector<NamedUser> users;
  std::vector<NamedContext> contexts;
  std::string current_context;
  bool operator==(const Config&) const = default;
};

}  // namespace kc
}  // namespace certmill::k8s

namespace certmill::json {
using namespace certmill::k8s::kc;
template <>
struct Schema<Cluster> {
  static constexpr auto fields = std::tuple{
      field("server", &Cluster::server),
      field("certificate-authority", &Cluster::certificate_authority),
      field("certificate-authority-data", &Cluster::certificate_authority_data),
      field("insecure-skip-tls-verify", &Cluster::insecure_skip_tls_verify),
      field("tls-server-name", &Cluster::tls_server_name),
  };
};
template <>
struct Schema<NamedCluster> {
  static constexpr auto fields = std::tuple{required("name", &NamedCluster::name),
                                            required("cluster", &NamedCluster::cluster)};
};
template <>
struct Schema<User> {
  static constexpr auto fields = std::tuple{
      field("token", &User::token),
      field("tokenFile", &User::token_file),
      field("client-certificate", &User::client_certificate),
      field("client-certificate-data", &User::client_certificate_data),
      field("client-key", &User::client_key),
      field("client-key-data", &User::client_key_data),
      field("exec", &User::exec),
  };
};
template <>
struct Schema<NamedUser> {
  static constexpr auto fields =
      std::tuple{required("name", &NamedUser::name), field("user", &NamedUser::user)};
};
template <>
struct Schema<Context> {
  static constexpr auto fields = std::tuple{
      required("cluster", &Context::cluster),
      field("user", &Context::user),
      field("namespace", &Context::namespace_),
  };
};
template <>
struct Schema<NamedContext> {
  static constexpr auto fields = std::tuple{required("name", &NamedContext::name),
                                            required("context", &NamedContext::context)};
};
template <>
struct Schema<Config> {
  static constexpr auto fields = std::tuple{
      field("clusters", &Config::clusters),
      field("users", &Config::users),
      field("contexts", &Config::contexts),
      field("current-context", &Config::current_context),
  };
};
}  // namespace certmill::json

namespace certmill::k8s {
namespace {

constexpr std::string_view kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

Error config_error(const std::string& where, const std::string& what) {
  return Error(Errc::invalid_argument, where + ": " + what);
}

std::string resolve_path(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path.front() == '/' || base_dir.empty())
    return path;
  return base_dir + "/" + path;
}

// Exactly one of inline data (base64) or a file, or neither.
Result<std::string> data_or_file(const std::string& where, const std::string& data_field,
                                 const std::string& data, const std::string& file_field,
                                 const std::string& file, const std::string& base_dir,
                                 const Environment& env) {
  if (!data.empty() && !file.empty()) {
    return config_error(where, data_field + " and " + file_field + " are both set; keep one");
  }
  if (!data.empty()) {
    auto bytes = base64_decode(data);
    if (!bytes)
      return config_error(where, data_field + ": " + bytes.error().message());
    return std::move(*bytes);
  }
  if (!file.empty()) {
    auto text = env.read_file(resolve_path(file, base_dir));
    if (!text)
      return config_error(where, file_field + ": " + text.error().message());
    return std::move(*text);
  }
  return std::string();
}

template <class T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  for (const auto& item : items) {
    if (item.name == name)
      return &item;
  }
  return nullptr;
}

}  // namespace

Environment process_environment() {
  return {
      [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
      },
      [](const std::string& path) -> Result<std::string> {
        std::ifstream in(path, std::ios::binary);
        if (!in)
          return Error(Errc::invalid_argument, "cannot read " + path);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
      },
      [](const std::string& path) {
        std::error_code ec;
        return std::filesystem::exists(path, ec);
      },
  };
}

Result<ClientConfig> parse_kubeconfig(std::string_view yaml, std::string_view context,
                                      const std::string& base_dir, const Environment& env) {
  auto json_text = yaml_to_json(yaml);
  if (!json_text)
    return json_text.error();
  auto parsed = json::decode_document<kc::Config>(*json_text);
  if (!parsed)
    return config_error("kubeconfig", parsed.error().message());
  const kc::Config& config = *parsed;

  const std::string context_name = context.empty() ? config.current_context : std::string(context);
  if (context_name.empty()) {
    return config_error("kubeconfig",
                        "no context given and current-context is not set; pass "
                        "--context or set current-context");
  }
  const auto* ctx = find_named(config.contexts, context_name);
  if (ctx == nullptr)
    return config_error("kubeconfig", "context \"" + context_name + "\" not found");
  const auto* cluster = find_named(config.clusters, ctx->context.cluster);
  if (cluster == nullptr) {
    return config_error("context \"" + context_name + "\"",
                        "cluster \"" + ctx->context.cluster + "\" not found");
  }
  const kc::User empty_user;
  const kc::User* user = &empty_user;
  if (!ctx->context.user.empty()) {
    const auto* named = find_named(config.users, ctx->context.user);
    if (named == nullptr) {
      return config_error("context \"" + context_name + "\"",
                          "user \"" + ctx->context.user + "\" not found");
    }
    user = &named->user;
  }

  ClientConfig out;
  out.source = "kubeconfig (context " + context_name + ")";
  out.namespace_ = ctx->context.namespace_.empty() ? "default" : ctx->context.namespace_;

  const std::string cluster_where = "cluster \"" + cluster->name + "\"";
  const kc::Cluster& c = cluster->cluster;
  if (c.server.empty())
    return config_error(cluster_where, "server is not set");
  if (c.server.rfind("https://", 0) != 0 && c.server.rfind("http://", 0) != 0) {
    return config_error(cluster_where, "server \"" + c.server + "\" is not an http(s) URL");
  }
  out.server = c.server;
  while (!out.server.empty() && out.server.back() == '/')
    out.server.pop_back();
  auto ca = data_or_file(cluster_where, "certificate-authority-data", c.certificate_authority_data,
                         "certificate-authority", c.certificate_authority, base_dir, env);
  if (!ca)
    return ca.error();
  out.ca_pem = std::move(*ca);
  if (c.insecure_skip_tls_verify && !out.ca_pem.empty()) {
    return config_error(cluster_where,
                        "insecure-skip-tls-verify and a certificate authority are both set; a CA "
                        "is pointless when verification is off");
  }
  out.insecure_skip_tls_verify = c.insecure_skip_tls_verify;
  out.tls_server_name = c.tls_server_name;

  const std::string user_where = "user \"" + ctx->context.user + "\"";
  if (!user->exec.text.empty()) {
    return config_error(user_where,
                        "exec credential plugins are not supported; use a token, a "
                        "token file or a client certificate");
  }
  if (!user->token.empty() && !user->token_file.empty()) {
    return config_error(user_where, "token and tokenFile are both set; keep one");
  }
  out.token = user->token;
  out.token_file = resolve_path(user->token_file, base_dir);
  auto cert = data_or_file(user_where, "client-certificate-data", user->client_certificate_data,
                           "client-certificate", user->client_certificate, base_dir, env);
  if (!cert)
    return cert.error();
  auto key = data_or_file(user_where, "client-key-data", user->client_key_data, "client-key",
                          user->client_key, base_dir, env);
  if (!key)
    return key.error();
  if (cert->empty() != key->empty()) {
    return config_error(user_where, "a client certificate needs its key and a key its certificate");
  }
  out.client_cert_pem = std::move(*cert);
  out.client_key_pem = std::move(*key);
  return out;
}

Result<ClientConfig> in_cluster_config(const Environment& env) {
  const auto host = env.getenv("KUBERNETES_SERVICE_HOST");
  const auto port = env.getenv("KUBERNETES_SERVICE_PORT");
  if (!host || !port || host->empty() || port->empty()) {
    return config_error("in-cluster configuration",
                        "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; not "
                        "running in a pod? pass --kubeconfig");
  }
  const std::string dir(kServiceAccountDir);
  auto ca = env.read_file(dir + "/ca.crt");
  if (!ca)
    return config_error("in-cluster configuration", ca.error().message());
  if (!env.exists(dir + "/token")) {
    return config_error("in-cluster configuration", "no service-account token at " + dir +
                                                        "/token (automountServiceAccountToken?)");
  }
  ClientConfig out;
  // An IPv6 service address needs brackets in a URL.
  const bool v6 = host->find(':') != std::string::npos;
  out.server = "https://" + (v6 ? "[" + *host + "]" : *host) + ":" + *port;
  out.ca_pem = std::move(*ca);
  out.token_file = dir + "/token";
  auto ns = env.read_file(dir + "/namespace");
  out.namespace_ = ns && !ns->empty() ? *ns : "default";
  while (!out.namespace_.empty() && (out.namespace_.back() == '\n'))
    out.namespace_.pop_back();
  out.source = "in-cluster service account";
  return out;
}

Result<ClientConfig> load_client_config(const std::string& flag, std::string_view context,
                                        const Environment& env) {
  auto from_file = [&](const std::string& path, const std::string& origin) -> Result<ClientConfig> {
    auto text = env.read_file(path);
    if (!text)
      return config_error(origin, text.error().message());
    auto config =
        parse_kubeconfig(*text, context, std::filesystem::path(path).parent_path().string(), env);
    if (!config)
      return config_error(origin + " " + path, config.error().message());
    config->source = origin + " " + path + ", " + config->source;
    return config;
  };
  if (!flag.empty())
    return from_file(flag, "--kubeconfig");
  if (auto var = env.getenv("KUBECONFIG"); var && !var->empty()) {
    // A list of files: the first that exists is used (merging is not supported).
    std::stringstream paths(*var);
    std::string path;
    while (std::getline(paths, path, ':')) {
      if (!path.empty() && env.exists(path))
        return from_file(path, "KUBECONFIG");
    }
    return config_error("KUBECONFIG", "none of \"" + *var + "\" exists");
  }
  if (env.getenv("KUBERNETES_SERVICE_HOST"))
    return in_cluster_config(env);
  if (auto home = env.getenv("HOME")) {
    const std::string path = *home + "/.kube/config";
    if (env.exists(path))
      return from_file(path, "~/.kube/config");
  }
  return config_error("configuration",
                      "no kubeconfig found: pass --kubeconfig, set KUBECONFIG, "
                      "or run in a pod with a service account");
}

}  // namespace certmill::k8s
