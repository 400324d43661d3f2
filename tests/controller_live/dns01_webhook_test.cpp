// DNS-01 through a cert-manager webhook solver: dns-webhook-example (written
// to cert-manager's published webhook interface alone) serves HTTPS on
// loopback, is registered with kube-sim as an APIService backed by a Service
// whose clusterIP is 127.0.0.1, and writes the records into BIND. certmill
// POSTs each ChallengePayload through kube-sim, whose aggregation layer
// forwards it; a wildcard and its apex are issued, and a webhook's refusal is
// told on the Challenge in its words.
#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_fixtures.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

// The webhook program on a free port with a certificate for 127.0.0.1.
class Webhook {
 public:
  static constexpr const char* kBinary =
      CERTMILL_BINARY_DIR "/tools/dns-webhook-example/dns-webhook-example";

  explicit Webhook(const NamedServer& named) {
    const auto made = openssl(
        {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days",
         "2", "-subj", "/CN=example-webhook.shop.svc", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", dir_.path("key.pem"), "-out", dir_.path("cert.pem")});
    if (made.status != 0)
      throw std::runtime_error("openssl could not make the webhook's certificate: " + made.output);
    const NamedKey& key = named.keys[2];
    const std::string command = "exec '" + std::string(kBinary) + "' --tls-certificate '" +
                                dir_.path("cert.pem") + "' --tls-key '" + dir_.path("key.pem") +
                                "' --dns-server 127.0.0.1:" + std::to_string(named.port) +
                                " --tsig-key-name " + key.name + " --tsig-algorithm " +
                                key.cert_manager_algorithm + " --tsig-secret '" + key.secret +
                                "' 2>'" + dir_.path("webhook.log") + "'";
    child_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", command}, true);
    const std::string line = child_->read_line(std::chrono::seconds(20));
    const std::string prefix = "dns-webhook-example listening on https://127.0.0.1:";
    if (!line.starts_with(prefix)) {
      child_->stop();
      throw std::runtime_error("dns-webhook-example did not start (it printed \"" + line +
                               "\"); its log:\n" + log());
    }
    port = static_cast<unsigned short>(std::stoul(line.substr(prefix.size())));
  }
  ~Webhook() { child_->stop(); }

  std::string log() const {
    std::ifstream in(dir_.path("webhook.log"));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string certificate_pem() const {
    std::ifstream in(dir_.path("cert.pem"));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Requests the log shows for `action` (Present, CleanUp).
  int count(const std::string& action) const {
    const std::string text = log();
    const std::string marker = "action=" + action;
    int n = 0;
    for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1))
      ++n;
    return n;
  }

  unsigned short port = 0;

 private:
  ScratchDir dir_;
  std::unique_ptr<fleet::ChildProcess> child_;
};

// The Service and APIService a webhook's Helm chart installs, pointed at the
// program on loopback.
std::string registration(const Webhook& webhook) {
  const std::string port = std::to_string(webhook.port);
  return R"(apiVersion: v1
kind: Service
metadata:
  name: example-webhook
  namespace: shop
spec:
  clusterIP: 127.0.0.1
  ports:
  - name: https
    port: )" +
         port + R"(
    protocol: TCP
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1alpha1.acme.example.test
spec:
  group: acme.example.test
  version: v1alpha1
  groupPriorityMinimum: 1000
  versionPriority: 15
  service:
    name: example-webhook
    namespace: shop
    port: )" +
         port + R"(
  caBundle: )" +
         base64_encode(webhook.certificate_pem()) + "\n";
}

std::string webhook_solver(const std::string& config) {
  return R"(    - dns01:
        webhook:
          groupName: acme.example.test
          solverName: example-solver
          config: )" +
         config + "\n";
}

struct Setup : Dns01Live {
  Setup() : webhook(named) { h.apply(registration(webhook)); }
  Webhook webhook;
};

}  // namespace

TEST_CASE("webhook: a wildcard and its apex are issued through a webhook kube-sim forwards to") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, webhook_solver(R"({"zone": "example.test"})")));
  s.h.apply(dns_certificate_yaml("site", R"(["example.test", "*.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("site", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\nwebhook:\n" << s.webhook.log());
  REQUIRE(ready);
  CHECK(s.webhook.count("Present") == 2);
  CHECK(eventually([&] { return s.webhook.count("CleanUp") == 2; }));
  // kube-sim told the webhook who asked, as kube-apiserver's proxy does.
  CHECK_THAT(s.webhook.log(), Catch::Contains("remoteUser="));
  CHECK(s.named.txt("_acme-challenge.example.test").empty());
}

TEST_CASE("webhook: a webhook's refusal is told on the Challenge in its words") {
  Setup s;
  s.h.apply(
      issuer_yaml(s.pebble, webhook_solver(R"({"fail": "quota for example.test exceeded"})")));
  s.h.apply(dns_certificate_yaml("refused", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("quota for example.test exceeded", reason));
  CHECK_THAT(reason, Catch::Contains("acme.example.test/example-solver"));
}

TEST_CASE("webhook: a solver no APIService serves is told on the Challenge") {
  Dns01Live s;
  s.h.apply(issuer_yaml(s.pebble, R"(    - dns01:
        webhook:
          groupName: nobody.example.test
          solverName: missing
)"));
  s.h.apply(dns_certificate_yaml("orphan", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("nobody.example.test/missing could not be called", reason));
}
