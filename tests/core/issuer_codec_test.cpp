// Issuer and ClusterIssuer codecs: every issuer type and every ACME solver
// shape of cert-manager's documentation decodes to the fields certmill reads.
#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "core/api/issuer.hpp"
#include "tests/support/manifests.hpp"

using namespace certmill;
using namespace certmill::api;

TEST_CASE("a letsencrypt-prod ClusterIssuer decodes its solvers and selectors") {
  const auto issuer = test::load_manifest<ClusterIssuer>("clusterissuer-letsencrypt.json");
  CHECK(issuer.metadata.name == "letsencrypt-prod");
  CHECK(issuer.metadata.namespace_.empty());
  REQUIRE(issuer.spec.acme.has_value());
  const ACMEIssuer& acme = *issuer.spec.acme;
  CHECK(acme.server == "https://acme-v02.api.letsencrypt.org/directory");
  CHECK(acme.email == "certs@example.com");
  CHECK(acme.private_key_secret_ref.name == "letsencrypt-prod-account-key");
  CHECK(acme.preferred_chain == "ISRG Root X1");
  CHECK(acme.profile == "tlsserver");
  CHECK_FALSE(issuer.spec.ca.has_value());
  REQUIRE(acme.solvers.size() == 4);

  const ACMEChallengeSolver& cloudflare = acme.solvers[0];
  REQUIRE(cloudflare.selector.has_value());
  CHECK(cloudflare.selector->dns_zones == std::vector<std::string>{"example.com"});
  REQUIRE(cloudflare.dns01.has_value());
  CHECK(cloudflare.dns01->cname_strategy == CNAMEStrategy::Follow);
  REQUIRE(cloudflare.dns01->cloudflare.has_value());
  CHECK(cloudflare.dns01->cloudflare->api_token_secret_ref ==
        SecretKeySelector{"cloudflare-api-token", "api-token"});
  CHECK_FALSE(cloudflare.http01.has_value());

  const ACMEChallengeSolver& route53 = acme.solvers[1];
  CHECK(route53.selector->dns_names == std::vector<std::string>{"www.example.org", "example.org"});
  REQUIRE(route53.dns01->route53.has_value());
  CHECK(route53.dns01->route53->hosted_zone_id == "Z2ABCDEFGHIJKL");
  CHECK(route53.dns01->route53->access_key_id_secret_ref->key == "access-key-id");
  CHECK_FALSE(route53.dns01->cname_strategy.has_value());

  const ACMEChallengeSolver& gateway = acme.solvers[2];
  CHECK(gateway.selector->match_labels ==
        StringMap{{"team", "web"}, {"use-http01-solver", "true"}});
  REQUIRE(gateway.http01->gateway_http_route.has_value());
  const auto& route = *gateway.http01->gateway_http_route;
  REQUIRE(route.parent_refs.size() == 1);
  CHECK(route.parent_refs[0].name == "public");
  CHECK(route.parent_refs[0].namespace_ == "gateways");
  CHECK(route.parent_refs[0].section_name == "http");
  CHECK(route.parent_refs[0].port == 80);

  const ACMEChallengeSolver& ingress = acme.solvers[3];
  CHECK_FALSE(ingress.selector.has_value());
  REQUIRE(ingress.http01->ingress.has_value());
  CHECK(ingress.http01->ingress->ingress_class_name == "nginx");
  CHECK(ingress.http01->ingress->class_.empty());
  // Pod and Ingress templates pass through as compact JSON.
  CHECK(
      ingress.http01->ingress->ingress_template.text ==
      R"({"metadata":{"annotations":{"nginx.ingress.kubernetes.io/whitelist-source-range":"0.0.0.0/0"}}})");

  REQUIRE(issuer.status.acme.has_value());
  CHECK(issuer.status.acme->uri == "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890");
  REQUIRE(issuer.status.conditions.size() == 1);
  CHECK(issuer.status.conditions[0].reason == "ACMEAccountRegistered");
}

TEST_CASE("an ACME Issuer with external account binding and every DNS provider") {
  const auto issuer = test::load_manifest<Issuer>("issuer-acme-providers.json");
  const ACMEIssuer& acme = issuer.spec.acme.value();
  REQUIRE(acme.external_account_binding.has_value());
  CHECK(acme.external_account_binding->key_id == "kid-1234");
  CHECK(acme.external_account_binding->key_secret_ref.key == "secret");
  CHECK(acme.skip_tls_verify);
  CHECK(acme.disable_account_key_generation);
  CHECK(acme.enable_duration_feature);
  CHECK_THAT(acme.ca_bundle.data, Catch::StartsWith("-----BEGIN CERTIFICATE-----\n"));
  REQUIRE(acme.solvers.size() == 9);
  const auto& dns = [&](std::size_t i) -> const ACMEChallengeSolverDNS01& {
    return acme.solvers.at(i).dns01.value();
  };
  CHECK(dns(0).rfc2136->nameserver == "10.0.0.53:53");
  CHECK(dns(0).rfc2136->tsig_algorithm == "HMACSHA256");
  CHECK(dns(0).rfc2136->tsig_secret_secret_ref->name == "tsig");
  CHECK(dns(1).cloud_dns->project == "my-project");
  CHECK(dns(1).cloud_dns->hosted_zone_name == "gcp-zone");
  CHECK(dns(2).azure_dns->subscription_id == "2b9c1d6e-0000-4000-8000-000000000001");
  CHECK(dns(2).azure_dns->environment == "AzurePublicCloud");
  CHECK(dns(2).azure_dns->managed_identity->client_id == "5c7d1e0f-0000-4000-8000-000000000002");
  CHECK(dns(3).acme_dns->host == "https://auth.acme-dns.io");
  CHECK(dns(3).acme_dns->account_secret_ref.key == "acmedns.json");
  CHECK(dns(4).digitalocean->token_secret_ref.name == "digitalocean-dns");
  CHECK_THAT(dns(5).akamai.text, Catch::Contains("akab-xxxx.luna.akamaiapis.net"));
  CHECK(dns(6).cname_strategy == CNAMEStrategy::None);
  CHECK(dns(6).route53->role == "arn:aws:iam::123456789012:role/dns-manager");
  CHECK(dns(6).route53->access_key_id == "AKIAIOSFODNN7EXAMPLE");
  CHECK(dns(7).webhook->group_name == "acme.example.com");
  CHECK(dns(7).webhook->solver_name == "my-dns");
  CHECK(dns(7).webhook->config.text ==
        R"({"apiUrl":"https://dns.example.com","ttl":60,"zones":["hook.example.com"]})");
  CHECK(dns(8).cloudflare->api_key_secret_ref->name == "cloudflare");
}

TEST_CASE("CA, SelfSigned and Vault issuers decode") {
  SECTION("CA") {
    const auto issuer = test::load_manifest<Issuer>("issuer-ca.json");
    REQUIRE(issuer.spec.ca.has_value());
    CHECK(issuer.spec.ca->secret_name == "ca-key-pair");
    CHECK(issuer.spec.ca->ocsp_servers == std::vector<std::string>{"http://ocsp.example.com"});
    CHECK(issuer.spec.ca->issuing_certificate_urls ==
          std::vector<std::string>{"http://ca.example.com/ca.crt"});
    CHECK_FALSE(issuer.spec.acme.has_value());
  }
  SECTION("SelfSigned: an empty object still selects the issuer type") {
    const auto issuer = test::load_manifest<ClusterIssuer>("clusterissuer-selfsigned.json");
    REQUIRE(issuer.spec.self_signed.has_value());
    CHECK(issuer.spec.self_signed->crl_distribution_points.empty());
    CHECK(encode(issuer) == R"({"apiVersion":"cert-manager.io/v1","kind":"ClusterIssuer",)"
                            R"("metadata":{"name":"selfsigned-issuer"},"spec":{"selfSigned":{}}})");
  }
  SECTION("Vault with AppRole") {
    const auto issuer = test::load_manifest<Issuer>("issuer-vault-approle.json");
    const VaultIssuer& vault = issuer.spec.vault.value();
    CHECK(vault.server == "https://vault.local");
    CHECK(vault.path == "pki_int/sign/example-dot-com");
    CHECK(vault.namespace_ == "team-a");
    CHECK_THAT(vault.ca_bundle.data, Catch::EndsWith("-----END CERTIFICATE-----\n"));
    REQUIRE(vault.auth.app_role.has_value());
    CHECK(vault.auth.app_role->role_id == "6e8d2b2c-0000-4000-8000-000000000003");
    CHECK(vault.auth.app_role->secret_ref.key == "secretId");
    CHECK_FALSE(vault.auth.kubernetes.has_value());
  }
  SECTION("Vault with Kubernetes auth through a bound service account token") {
    const auto issuer = test::load_manifest<Issuer>("issuer-vault-kubernetes.json");
    const VaultIssuer& vault = issuer.spec.vault.value();
    CHECK(vault.ca_bundle_secret_ref == SecretKeySelector{"vault-ca", "ca.crt"});
    const VaultKubernetesAuth& k8s = vault.auth.kubernetes.value();
    CHECK(k8s.role == "my-app-1");
    CHECK(k8s.mount_path == "/v1/auth/kubernetes");
    CHECK(k8s.service_account_ref->name == "vault-issuer");
    CHECK(k8s.service_account_ref->audiences ==
          std::vector<std::string>{"vault://sandbox/vault-issuer-k8s"});
    CHECK_FALSE(k8s.secret_ref.has_value());
  }
}
