// The views as the informer caches hold them: projections fit
// Informer<T, Compact>'s Project, and an object whose projection did not
// change wakes no reconcile; the Ingress and Gateway projections keep the
// annotations the shims read and no others.
#include <catch2/catch.hpp>

#include "controller/certificate_view.hpp"
#include "controller/issuer_view.hpp"
#include "controller/request_view.hpp"
#include "controller/runtime/caches.hpp"
#include "controller/secret_view.hpp"
#include "k8s/cache.hpp"
#include "k8s/informer.hpp"
#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;

static_assert(std::is_constructible_v<k8s::Informer<api::Certificate, CertificateView>::Project,
                                      decltype(&project_certificate)>);
static_assert(std::is_constructible_v<k8s::Informer<api::Secret, SecretView>::Project,
                                      decltype(&project_secret)>);
static_assert(std::is_constructible_v<k8s::Informer<api::Issuer, IssuerView>::Project,
                                      decltype(&project_issuer)>);
static_assert(std::is_constructible_v<k8s::Informer<api::ClusterIssuer, IssuerView>::Project,
                                      decltype(&project_cluster_issuer)>);
static_assert(std::is_constructible_v<k8s::Informer<api::CertificateRequest, RequestView>::Project,
                                      decltype(&project_request)>);

TEST_CASE("an unchanged projection wakes nothing: a changed one wakes once") {
  k8s::CachePartition<CertificateView> cache;
  int changes = 0;
  cache.on_change(
      [&](const std::string&, const CertificateView*, const CertificateView*) { ++changes; });
  const api::Certificate crt = test::make_certificate();
  cache.upsert(project_certificate(api::Certificate(crt)));
  cache.upsert(project_certificate(api::Certificate(crt)));
  CHECK(changes == 1);
  api::Certificate edited = crt;
  edited.spec.dns_names.push_back("api.example.com");
  cache.upsert(project_certificate(std::move(edited)));
  CHECK(changes == 2);
  REQUIRE(cache.find("apps/web"));
  CHECK(cache.find("apps/web")->spec_hash != certificate_spec_hash(crt.spec));
}

TEST_CASE("the shims' projections keep cert-manager's annotations and the configured keys") {
  const api::StringMap annotations = {
      {"cert-manager.io/cluster-issuer", "letsencrypt"},
      {"acme.cert-manager.io/http01-edit-in-place", "true"},
      {"kubernetes.io/tls-acme", "true"},
      {"example.com/team", "payments"},
      {"example.com/teams", "not named"},
      {"kubectl.kubernetes.io/last-applied-configuration", "{}"},
  };
  const std::vector<std::string> kept = {"kubernetes.io/tls-acme", "example.com/team"};
  const api::StringMap want = {
      {"cert-manager.io/cluster-issuer", "letsencrypt"},
      {"acme.cert-manager.io/http01-edit-in-place", "true"},
      {"kubernetes.io/tls-acme", "true"},
      {"example.com/team", "payments"},
  };
  api::Ingress ingress;
  ingress.metadata.annotations = annotations;
  CHECK(project_ingress(api::Ingress(ingress), kept).metadata.annotations == want);
  api::Gateway gateway;
  gateway.metadata.annotations = annotations;
  CHECK(project_gateway(api::Gateway(gateway), kept).metadata.annotations == want);
  // Without keys, tls-acme goes too: it is read only when configured.
  CHECK(project_ingress(api::Ingress(ingress), {}).metadata.annotations ==
        api::StringMap{{"cert-manager.io/cluster-issuer", "letsencrypt"},
                       {"acme.cert-manager.io/http01-edit-in-place", "true"}});
}
