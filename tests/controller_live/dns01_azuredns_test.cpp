// DNS-01 through Azure DNS: the Issuer written as cert-manager's documentation
// writes it (a service principal's secret in a Secret), with certmill's
// --azuredns-api-url pointed at dns-api-sim's Azure front, which serves both
// Microsoft Entra's token endpoint and ARM's record sets and writes into BIND
// for the propagation check and Pebble. A wildcard and its apex share one
// record set, written whole with its ETag (a stale one read again); a wrong
// secret, a zone the resource group lacks, a bad environment and missing
// credentials are told; a workload identity serves with ambient
// credentials; a clean-up that fails is retried.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_provider_checks.hpp"
#include "tests/support/dns_api_sim.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/wait.hpp"
#include "tools/dns-api-sim/azuredns.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr const char* kTenant = "7a1d0c44-0000-4000-8000-0000000e47a1";
constexpr const char* kClientId = "3b9e2f10-0000-4000-8000-00000000c11e";
constexpr const char* kSecret = "azure-sp-secret~9Xq2";
// Workload identity's: the managed identity's client, and the service
// account token the kubelet projects (the emulator takes it as the secret).
constexpr const char* kWorkloadClientId = "8d4f7a22-0000-4000-8000-0000000a1d01";
constexpr const char* kFederatedToken = "eyJhbGciOiJSUzI1NiJ9.c2ltLXNh.c2ln";

// cert-manager's example: the zone named, the cloud spelled out; `more`
// replaces both.
std::string secret_solver(const std::string& more =
                              "          hostedZoneName: example.test\n"
                              "          environment: AzurePublicCloud\n") {
  return std::string(R"(    - dns01:
        azureDNS:
          clientID: )") +
         kClientId + R"(
          clientSecretSecretRef:
            name: azuredns-config
            key: client-secret
          subscriptionID: )" +
         dnssim::kAzureSubscription + R"(
          tenantID: )" +
         kTenant + R"(
          resourceGroupName: )" +
         dnssim::kAzureResourceGroup + "\n" + more;
}

struct Setup : Dns01Live {
  explicit Setup(DnsApiSimOptions options = {}, std::string secret = kSecret, bool ambient = false)
      : Dns01Live({}, false, false), sim(named, with_defaults(std::move(options))) {
    h.config().runtime.dns01_provider_api_urls["azureDNS"] = sim.url;
    h.config().runtime.issuer_ambient_credentials = ambient;
    h.start();
    h.apply(secret_yaml("azuredns-config", "client-secret", secret));
  }
  static DnsApiSimOptions with_defaults(DnsApiSimOptions options) {
    options.provider = "azuredns";
    options.credentials = {std::string(kTenant) + ":" + kClientId + ":" + kSecret,
                           std::string(kTenant) + ":" + kWorkloadClientId + ":" + kFederatedToken};
    return options;
  }

  DnsApiSim sim;
};

// certmill's environment as Azure Workload Identity's webhook sets it in the
// pod, for one test: the controller runs in this process.
struct WorkloadIdentityEnvironment {
  WorkloadIdentityEnvironment() {
    ::setenv("AZURE_FEDERATED_TOKEN_FILE",
             dir.write("azure-identity-token", std::string(kFederatedToken) + "\n").c_str(), 1);
    ::setenv("AZURE_CLIENT_ID", kWorkloadClientId, 1);
    ::setenv("AZURE_TENANT_ID", kTenant, 1);
  }
  ~WorkloadIdentityEnvironment() {
    for (const char* name : {"AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID"})
      ::unsetenv(name);
  }
  WorkloadIdentityEnvironment(const WorkloadIdentityEnvironment&) = delete;
  WorkloadIdentityEnvironment& operator=(const WorkloadIdentityEnvironment&) = delete;
  ScratchDir dir;
};

}  // namespace

TEST_CASE("Azure DNS: a wildcard and its apex share one record set, issued and then cleaned up") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  check_issued_and_cleaned(s, "site", R"(["example.test", "*.example.test"])",
                           "_acme-challenge.example.test");
  // One token served every call: none was refused. The set was created,
  // then grew or was written again after a 412, and went away whole once
  // its last value was removed.
  CHECK(s.sim.served("POST", 200) >= 1);
  CHECK(s.sim.served("GET", 401) == 0);
  CHECK(s.sim.served("PUT", 201) >= 1);
  CHECK(s.sim.served("DELETE", 200) == 1);
}

TEST_CASE("Azure DNS: a write refused for a stale ETag is read again and retried") {
  Setup s;
  // As if another writer changed the set between certmill's read and write.
  s.sim.fault(R"({"status": 412, "count": 1, "method": "PUT", "pathPrefix": "/subscriptions/"})");
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  s.h.apply(dns_certificate_yaml("raced", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("raced", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  CHECK(s.sim.served("PUT", 412) == 1);
  CHECK(s.sim.served("PUT", 201) == 1);
}

TEST_CASE("Azure DNS: without hostedZoneName the zone the solver found is written") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, secret_solver("")));
  s.h.apply(dns_certificate_yaml("found", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("found", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  CHECK(eventually([&] { return s.sim.record_count() == 0; }));
}

TEST_CASE("Azure DNS: with ambient credentials a workload identity's federated token serves") {
  const WorkloadIdentityEnvironment environment;
  Setup s({}, kSecret, true);
  s.h.apply(issuer_yaml(s.pebble, std::string(R"(    - dns01:
        azureDNS:
          subscriptionID: )") + dnssim::kAzureSubscription +
                                      "\n          resourceGroupName: " +
                                      dnssim::kAzureResourceGroup + "\n"));
  s.h.apply(dns_certificate_yaml("federated", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("federated", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  CHECK(s.sim.served("POST", 401) == 0);
}

TEST_CASE("Azure DNS: a wrong client secret is told in Entra's words, never the secret") {
  Setup s({}, "not-the-secret");
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  s.h.apply(dns_certificate_yaml("refused", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("AADSTS7000215", reason));
  INFO(reason);
  CHECK_THAT(reason, Catch::Contains("HTTP 401") && Catch::Contains("invalid_client"));
  // Entra's trace ids change each time; the reason stops before them.
  CHECK_THAT(reason, !Catch::Contains("Trace ID"));
  CHECK_THAT(reason, !Catch::Contains("not-the-secret") && !Catch::Contains(kSecret));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Azure DNS: a zone the resource group lacks is told on the Challenge") {
  Setup s({.zones = {"elsewhere.test"}});
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  s.h.apply(dns_certificate_yaml("nozone", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("ResourceNotFound", reason));
  INFO(reason);
  CHECK_THAT(reason, Catch::Contains("has no zone"));
  CHECK(s.sim.record_count() == 0);
}

TEST_CASE("Azure DNS: an unknown environment is told with the clouds certmill knows") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, secret_solver("          environment: AzureMoonCloud\n")));
  s.h.apply(dns_certificate_yaml("moon", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("AzureChinaCloud", reason));
  CHECK_THAT(reason, Catch::Contains("AzureMoonCloud"));
}

TEST_CASE(
    "Azure DNS: without a client secret and ambient credentials the Challenge says what to set") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, std::string(R"(    - dns01:
        azureDNS:
          subscriptionID: )") + dnssim::kAzureSubscription +
                                      "\n          resourceGroupName: " +
                                      dnssim::kAzureResourceGroup + "\n"));
  s.h.apply(dns_certificate_yaml("nokeys", R"(["www.example.test"])"));
  std::string reason;
  CHECK(s.challenge_reason_with("ambient credentials", reason));
  CHECK_THAT(reason, Catch::Contains("clientSecretSecretRef"));
}

TEST_CASE("Azure DNS: a throttled API is waited out after its Retry-After") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  check_rate_limit_waited_out(s, "PUT", "/subscriptions/");
}

TEST_CASE("Azure DNS: a removal that fails during clean-up is made later") {
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  // The last value goes by a DELETE of the set.
  check_cleanup_retried(s, "DELETE", "/subscriptions/", 0);
}

TEST_CASE("Azure DNS: the client secret never reaches a log, an Event or a status") {
  SecretScan scan;
  Setup s;
  s.h.apply(issuer_yaml(s.pebble, secret_solver()));
  s.h.apply(dns_certificate_yaml("site", R"(["www.example.test"])"));
  REQUIRE(s.wait("site", "Ready", "True"));
  check_secrets_kept(scan, s.h, {kSecret}, "_acme-challenge.www.example.test");
}
