// `certmill create certificaterequest --fetch-certificate` and `certmill
// approve` as an operator runs them (the shipped binary, its kubeconfig
// pointing at kube-sim) against certmill's controller: a request signed by a
// CA Issuer comes back as a certificate for the key the command wrote; with
// the approver off, the command waits until `certmill approve` decides.
#include <future>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kNs = "cli";

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// The certmill binary of this build, run in `dir` with kube-sim's kubeconfig.
Run run_certmill(ControllerHarness& h, const ScratchDir& dir, const std::string& args) {
  const std::string command = "cd '" + dir.path("") +
                              "' && '" CERTMILL_BINARY_DIR "/tools/certmill' " + args +
                              " --kubeconfig '" + h.sim().kubeconfig + "' 2>&1 </dev/null";
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    run.output.append(buffer, n);
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

const std::string kManifest = R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: cli}
spec:
  secretName: web-tls
  commonName: web.cli.example.com
  dnsNames: [web.cli.example.com]
  duration: 2h
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: my-ca-issuer, kind: Issuer}
)";

std::string request_path(const std::string& name) {
  return "/apis/cert-manager.io/v1/namespaces/" + kNs + "/certificaterequests/" + name;
}

void wait_ca_issuer(ControllerHarness& h) {
  REQUIRE(h.wait_ready(kNs, "my-selfsigned-ca"));
  REQUIRE(eventually([&] {
    return h.condition("/apis/cert-manager.io/v1/namespaces/" + kNs + "/issuers/my-ca-issuer",
                       "Ready") == "True";
  }));
}

// The certificate file is for the key file, with the manifest's name.
void check_files(const ScratchDir& dir, const std::string& name) {
  std::ifstream key_in(dir.path(name + ".key")), cert_in(dir.path(name + ".crt"));
  const std::string key_pem((std::istreambuf_iterator<char>(key_in)), {});
  const std::string cert_pem((std::istreambuf_iterator<char>(cert_in)), {});
  auto key = pki::parse_private_key(key_pem, name + ".key");
  REQUIRE(key);
  auto leaf = pki::parse_certificate(cert_pem, name + ".crt");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(*key, *leaf));
  CHECK(leaf->info().sans.dns_names == std::vector<std::string>{"web.cli.example.com"});
}

}  // namespace

TEST_CASE("certmill create certificaterequest --fetch-certificate gets a CA Issuer's certificate",
          "[certmill-requests]") {
  ControllerHarness h;
  h.apply(bootstrap_yaml(kNs));
  wait_ca_issuer(h);
  ScratchDir dir;
  dir.write("web.yaml", kManifest);
  const Run run = run_certmill(h, dir,
                               "create certificaterequest web-1 --from-certificate-file web.yaml "
                               "--fetch-certificate --timeout 60s");
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(run.output.find("CertificateRequest web-1 in namespace cli has been signed") !=
        std::string::npos);
  CHECK(run.output.find("Certificate has been stored in file web-1.crt") != std::string::npos);
  check_files(dir, "web-1");
  std::string reason;
  CHECK(h.condition(request_path("web-1"), "Approved", &reason) == "True");
  CHECK(reason == "cert-manager.io");
}

TEST_CASE("with the approver off, --fetch-certificate waits until certmill approve",
          "[certmill-requests]") {
  controller::ControllerConfig config;
  config.runtime.approve_requests = false;
  ControllerHarness h(config);
  ScratchDir dir;
  // Without the approver, the bootstrap's own request needs approval too.
  h.apply(bootstrap_yaml(kNs));
  REQUIRE(eventually([&] { return h.get(request_path("my-selfsigned-ca-1")).has_value(); }));
  const Run bootstrap = run_certmill(h, dir, "approve my-selfsigned-ca-1 -n " + kNs);
  INFO(bootstrap.output);
  REQUIRE(bootstrap.status == 0);
  wait_ca_issuer(h);

  dir.write("web.yaml", kManifest);
  auto fetch = std::async(std::launch::async, [&] {
    return run_certmill(h, dir,
                        "create certificaterequest web-2 --from-certificate-file web.yaml "
                        "--fetch-certificate --timeout 60s");
  });
  std::string reason;
  REQUIRE(eventually([&] {
    return h.condition(request_path("web-2"), "Ready", &reason) == "False" && reason == "Pending";
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(fetch.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  CHECK(h.condition(request_path("web-2"), "Approved").empty());

  const Run approve = run_certmill(h, dir, "approve web-2 -n " + kNs);
  INFO(approve.output);
  REQUIRE(approve.status == 0);
  const Run run = fetch.get();
  INFO(run.output);
  REQUIRE(run.status == 0);
  check_files(dir, "web-2");
  std::string message;
  CHECK(h.condition(request_path("web-2"), "Approved", &reason, &message) == "True");
  CHECK(reason == "KubectlCertManager");
  CHECK(message == "manually approved by \"certmill\"");
}
