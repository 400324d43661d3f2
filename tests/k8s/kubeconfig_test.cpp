// Kubeconfig and in-cluster configuration: the precedence every Kubernetes
// tool follows, and clear errors for missing or contradictory fields.
#include "k8s/kubeconfig.hpp"

#include <map>

#include <catch2/catch.hpp>

#include "core/base64.hpp"

using namespace certmill;
using namespace certmill::k8s;

namespace {

// An environment made of maps, so no test touches the real one.
struct FakeEnv {
  std::map<std::string, std::string> vars;
  std::map<std::string, std::string> files;
  Environment env() {
    return {
        [this](const std::string& n) -> std::optional<std::string> {
          auto it = vars.find(n);
          return it == vars.end() ? std::nullopt : std::optional(it->second);
        },
        [this](const std::string& p) -> Result<std::string> {
          auto it = files.find(p);
          if (it == files.end())
            return Error(Errc::invalid_argument, "cannot read " + p);
          return it->second;
        },
        [this](const std::string& p) { return files.count(p) > 0; },
    };
  }
};

const std::string kCa = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

std::string kubeconfig(const std::string& cluster_extra, const std::string& user_extra,
                       const std::string& current = "dev") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: " + current +
         "\n"
         "clusters:\n"
         "- name: local\n"
         "  cluster:\n"
         "    server: https://127.0.0.1:6443/\n" +
         cluster_extra +
         "contexts:\n"
         "- name: dev\n"
         "  context:\n"
         "    cluster: local\n"
         "    user: admin\n"
         "    namespace: cert-manager\n"
         "- name: bare\n"
         "  context:\n"
         "    cluster: local\n"
         "users:\n"
         "- name: admin\n"
         "  user:\n" +
         user_extra;
}

}  // namespace

TEST_CASE("a kubeconfig with inline CA and token resolves its current context") {
  FakeEnv fake;
  const std::string yaml = kubeconfig(
      "    certificate-authority-data: " + base64_encode(kCa) + "\n", "    token: s3cr3t\n");
  auto c = parse_kubeconfig(yaml, "", "/home/u/.kube", fake.env());
  REQUIRE(c.ok());
  CHECK(c->server == "https://127.0.0.1:6443");
  CHECK(c->ca_pem == kCa);
  CHECK(c->token == "s3cr3t");
  CHECK(c->namespace_ == "cert-manager");
  CHECK_FALSE(c->insecure_skip_tls_verify);

  auto bare = parse_kubeconfig(yaml, "bare", "", fake.env());
  REQUIRE(bare.ok());
  CHECK(bare->namespace_ == "default");
  CHECK(bare->token.empty());
}

TEST_CASE("files named in a kubeconfig are read relative to it") {
  FakeEnv fake;
  fake.files["/home/u/.kube/ca.pem"] = kCa;
  fake.files["/home/u/.kube/client.pem"] = "CERT";
  fake.files["/etc/keys/client.key"] = "KEY";
  const std::string yaml =
      kubeconfig("    certificate-authority: ca.pem\n    tls-server-name: api.internal\n",
                 "    client-certificate: client.pem\n    client-key: /etc/keys/client.key\n"
                 "    tokenFile: token\n");
  auto c = parse_kubeconfig(yaml, "", "/home/u/.kube", fake.env());
  REQUIRE(c.ok());
  CHECK(c->ca_pem == kCa);
  CHECK(c->client_cert_pem == "CERT");
  CHECK(c->client_key_pem == "KEY");
  CHECK(c->token_file == "/home/u/.kube/token");
  CHECK(c->tls_server_name == "api.internal");
}

TEST_CASE("missing or contradictory kubeconfig fields are named in the error") {
  FakeEnv fake;
  struct Row {
    std::string yaml;
    std::string context;
    std::string message;
  };
  const Row rows[] = {
      {kubeconfig("", "", ""), "", "kubeconfig: no context given and current-context is not set"},
      {kubeconfig("", ""), "prod", "kubeconfig: context \"prod\" not found"},
      {kubeconfig("    certificate-authority: ca.pem\n    certificate-authority-data: eA==\n", ""),
       "", "cluster \"local\": certificate-authority-data and certificate-authority are both set"},
      {kubeconfig("    insecure-skip-tls-verify: true\n    certificate-authority-data: eA==\n", ""),
       "", "cluster \"local\": insecure-skip-tls-verify and a certificate authority are both set"},
      {kubeconfig("    certificate-authority: missing.pem\n", ""), "",
       "cluster \"local\": certificate-authority: cannot read /k/missing.pem"},
      {kubeconfig("    certificate-authority-data: '%%%'\n", ""), "",
       "cluster \"local\": certificate-authority-data: invalid base64"},
      {kubeconfig("", "    token: a\n    tokenFile: /t\n"), "",
       "user \"admin\": token and tokenFile are both set"},
      {kubeconfig("", "    client-certificate-data: eA==\n"), "",
       "user \"admin\": a client certificate needs its key"},
      {kubeconfig("", "    exec:\n      command: aws\n"), "",
       "user \"admin\": exec credential plugins are not supported"},
      {"clusters: 7\n", "", "kubeconfig: clusters: expected array, got number"},
      {"clusters: [\n", "", "invalid YAML at line"},
      {"current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n"
       "  cluster: {server: 'ftp://h'}\n",
       "", "cluster \"c\": server \"ftp://h\" is not an http(s) URL"},
      {"current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n"
       "  cluster: {}\n",
       "", "cluster \"c\": server is not set"},
      {"current-context: x\ncontexts:\n- name: x\n  context: {cluster: nope}\n", "",
       "context \"x\": cluster \"nope\" not found"},
  };
  for (const auto& row : rows) {
    auto c = parse_kubeconfig(row.yaml, row.context, "/k", fake.env());
    INFO(row.yaml);
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.error().message(), Catch::StartsWith(row.message));
  }
}

TEST_CASE("in-cluster configuration comes from the service account and the environment") {
  FakeEnv fake;
  const std::string sa = "/var/run/secrets/kubernetes.io/serviceaccount";
  fake.vars = {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}};
  fake.files = {{sa + "/ca.crt", kCa}, {sa + "/token", "jwt"}, {sa + "/namespace", "cert-manager"}};
  auto c = in_cluster_config(fake.env());
  REQUIRE(c.ok());
  CHECK(c->server == "https://10.96.0.1:443");
  CHECK(c->token_file == sa + "/token");
  CHECK(c->token.empty());  // read from the file on each refresh: bound tokens rotate
  CHECK(c->namespace_ == "cert-manager");

  fake.vars["KUBERNETES_SERVICE_HOST"] = "fd00::1";
  CHECK(in_cluster_config(fake.env())->server == "https://[fd00::1]:443");

  fake.files.erase(sa + "/token");
  CHECK_THAT(in_cluster_config(fake.env()).error().message(),
             Catch::Contains("no service-account token"));
  fake.vars.clear();
  CHECK_THAT(in_cluster_config(fake.env()).error().message(),
             Catch::Contains("not running in a pod? pass --kubeconfig"));
}

TEST_CASE("configuration comes from the flag, KUBECONFIG, in-cluster, ~/.kube/config in turn") {
  FakeEnv fake;
  const std::string sa = "/var/run/secrets/kubernetes.io/serviceaccount";
  fake.files = {{"/flag.yaml", kubeconfig("", "    token: from-flag\n")},
                {"/env.yaml", kubeconfig("", "    token: from-env\n")},
                {"/home/u/.kube/config", kubeconfig("", "    token: from-home\n")},
                {sa + "/ca.crt", kCa},
                {sa + "/token", "jwt"}};
  fake.vars = {{"KUBECONFIG", "/missing.yaml:/env.yaml"},
               {"HOME", "/home/u"},
               {"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
               {"KUBERNETES_SERVICE_PORT", "443"}};
  CHECK(load_client_config("/flag.yaml", "", fake.env())->token == "from-flag");
  CHECK(load_client_config("", "", fake.env())->token == "from-env");
  fake.vars.erase("KUBECONFIG");
  CHECK(load_client_config("", "", fake.env())->source == "in-cluster service account");
  fake.vars.erase("KUBERNETES_SERVICE_HOST");
  auto home = load_client_config("", "", fake.env());
  REQUIRE(home.ok());
  CHECK(home->token == "from-home");
  CHECK_THAT(home->source, Catch::StartsWith("~/.kube/config /home/u/.kube/config"));
  fake.vars.erase("HOME");
  CHECK_THAT(load_client_config("", "", fake.env()).error().message(),
             Catch::Contains("no kubeconfig found: pass --kubeconfig"));
  CHECK_THAT(load_client_config("/nope.yaml", "", fake.env()).error().message(),
             Catch::StartsWith("--kubeconfig: cannot read /nope.yaml"));
}
