// Taking over an issuance cert-manager left in flight: its account placed an
// order at Pebble, and the cluster holds what cert-manager wrote meanwhile
// (the Certificate Issuing, the next key in a Secret of its own, the approved
// request, the Order with its status.url and a Challenge with cert-manager's
// finalizer). certmill continues that order from its URL with that key: no
// second Order, the Secret's key is the adopted one, and the Challenge goes.
// A Certificate beside it with nothing in flight shows a new Order is made
// when there is none to continue.
#include <catch2/catch.hpp>

#include "core/acme/jwk.hpp"
#include "core/acme/objects.hpp"
#include "core/base64.hpp"
#include "core/pki/csr.hpp"
#include "issuers/acme/identifiers.hpp"
#include "issuers/acme/issuer.hpp"
#include "issuers/acme/new_order.hpp"
#include "issuers/acme/order.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;
namespace asio = boost::asio;

namespace {

// An order placed at the CA as cert-manager places it, with the account key
// the Issuer's Secret holds.
struct PlacedOrder {
  std::string url;
  certmill::acme::Order order;
  certmill::acme::Authorization authorization;
  std::string thumbprint;
};

PlacedOrder place_order(const Pebble& pebble, const std::string& account_key_pem,
                        const std::string& csr_pem) {
  reactor::Reactor reactor(1);
  reactor.start();
  auto placed = run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<PlacedOrder>> {
    issuers::acme::AccountSettings settings;
    settings.server = pebble.directory_url;
    settings.ca_bundle_pem = pebble.tls_certificate_pem();
    settings.account_key_pem = account_key_pem;
    auto account = co_await issuers::acme::open_account(co_await asio::this_coro::executor,
                                                        settings, reactor.clock());
    if (!account)
      co_return account.error();
    auto& client = *account->client;
    auto directory = co_await client.directory();
    if (!directory)
      co_return directory.error();
    auto csr = issuers::acme::read_order_csr(csr_pem);
    if (!csr)
      co_return csr.error();
    auto created = co_await issuers::acme::create_order(client, *directory, *csr, {});
    if (!created)
      co_return created.error();
    auto order = certmill::acme::decode_order(created->response.body);
    if (!order)
      co_return order.error();
    auto authz = co_await client.post_as_get(order->authorizations.at(0));
    if (!authz)
      co_return authz.error();
    auto authorization = certmill::acme::decode_authorization(authz->body);
    if (!authorization)
      co_return authorization.error();
    co_return PlacedOrder{created->url, std::move(*order), std::move(*authorization),
                          client.thumbprint()};
  });
  if (!placed)
    throw std::runtime_error("placing the order: " + placed.error().message());
  return std::move(*placed);
}

std::string cluster_issuer_yaml(const Pebble& pebble) {
  return R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-staging
spec:
  acme:
    server: )" +
         pebble.directory_url + R"(
    caBundle: )" +
         base64_encode(pebble.tls_certificate_pem()) + R"(
    privateKeySecretRef:
      name: letsencrypt-staging
    solvers:
    - http01:
        ingress:
          ingressClassName: nginx
)";
}

std::string certificate_yaml(const std::string& name) {
  return R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: )" +
         name + R"(
  namespace: shop
spec:
  secretName: )" +
         name + R"(-tls
  dnsNames: [)" +
         name + R"(.shop.example.com]
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer, group: cert-manager.io}
)";
}

std::string uid_of(ControllerHarness& h, const std::string& path) {
  auto object = h.get(path);
  REQUIRE(object);
  return std::string(object->at("metadata").at("uid").as_string());
}

void patch_status(ControllerHarness& h, const std::string& path, const std::string& status) {
  const auto answer = h.send("PATCH", path + "/status", R"({"status":)" + status + "}",
                             "application/merge-patch+json");
  INFO(answer.body);
  REQUIRE(answer.status == 200);
}

std::string owner(const std::string& api_version, const std::string& kind, const std::string& name,
                  const std::string& uid) {
  return R"(  ownerReferences:
  - {apiVersion: )" +
         api_version + ", kind: " + kind + ", name: " + name + ", uid: " + uid +
         ", controller: true, blockOwnerDeletion: true}\n";
}

std::vector<boost::json::value> acme_items(ControllerHarness& h, const std::string& resource) {
  auto list = h.get("/apis/acme.cert-manager.io/v1/namespaces/shop/" + resource);
  REQUIRE(list);
  const auto& array = list->at("items").as_array();
  return {array.begin(), array.end()};
}

}  // namespace

TEST_CASE("certmill continues an ACME order cert-manager left in flight") {
  PebbleOptions options;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  ControllerHarness h(resolving_with(pebble.dns_port), /*start_now=*/false,
                      "127.0.0.1:" + std::to_string(pebble.http_port));
  h.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");

  // cert-manager's account key, where privateKeySecretRef says.
  auto account_key = issuers::acme::new_account_key();
  REQUIRE(account_key);
  auto account_pem = pki::encode_private_key(*account_key, api::PrivateKeyEncoding::PKCS8);
  REQUIRE(account_pem);
  h.apply(
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: letsencrypt-staging\n  namespace: "
      "kube-system\ndata:\n  tls.key: " +
      base64_encode(*account_pem) + "\n");
  h.apply(cluster_issuer_yaml(pebble));

  // The next key, in the Secret cert-manager keeps it in, and its CSR.
  pki::KeySpec key_spec;
  key_spec.algorithm = api::PrivateKeyAlgorithm::ECDSA;
  key_spec.bits = 256;
  auto next_key = pki::generate_private_key(key_spec);
  REQUIRE(next_key);
  auto next_pem = pki::encode_private_key(*next_key, api::PrivateKeyEncoding::PKCS8);
  REQUIRE(next_pem);
  api::CertificateSpec spec;
  spec.dns_names = {"web.shop.example.com"};
  auto csr = pki::build_csr(spec, *next_key);
  REQUIRE(csr);
  const PlacedOrder placed = place_order(pebble, *account_pem, *csr);

  h.apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: web-7xk2p
  namespace: shop
  labels: {cert-manager.io/next-private-key: "true"}
data:
  tls.key: )" +
          base64_encode(*next_pem) + "\n");
  h.apply(certificate_yaml("web"));
  const std::string certificate = "/apis/cert-manager.io/v1/namespaces/shop/certificates/web";
  patch_status(h, certificate, R"({"nextPrivateKeySecretName":"web-7xk2p","conditions":[
    {"type":"Ready","status":"False","reason":"DoesNotExist","observedGeneration":1,
     "message":"Issuing certificate as Secret does not exist","lastTransitionTime":"2026-12-01T10:00:00Z"},
    {"type":"Issuing","status":"True","reason":"DoesNotExist","observedGeneration":1,
     "message":"Issuing certificate as Secret does not exist","lastTransitionTime":"2026-12-01T10:00:00Z"}]})");
  h.apply(R"(apiVersion: cert-manager.io/v1
kind: CertificateRequest
metadata:
  name: web-1
  namespace: shop
  annotations:
    cert-manager.io/certificate-name: web
    cert-manager.io/certificate-revision: "1"
    cert-manager.io/private-key-secret-name: web-7xk2p
)" + owner("cert-manager.io/v1", "Certificate", "web", uid_of(h, certificate)) +
          R"(spec:
  issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer, group: cert-manager.io}
  request: )" +
          base64_encode(*csr) +
          R"(
  usages: [digital signature, key encipherment]
)");
  const std::string request = "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests/web-1";
  patch_status(h, request, R"({"conditions":[
    {"type":"Approved","status":"True","reason":"cert-manager.io",
     "message":"Certificate request has been approved by cert-manager.io","lastTransitionTime":"2026-12-01T10:00:00Z"},
    {"type":"Ready","status":"False","reason":"Pending",
     "message":"Waiting on certificate issuance from order shop/web-1-3294315586: \"pending\"","lastTransitionTime":"2026-12-01T10:00:00Z"}]})");
  const auto& challenge = placed.authorization.challenges;
  const auto http01 = std::find_if(challenge.begin(), challenge.end(),
                                   [](const auto& c) { return c.type == "http-01"; });
  REQUIRE(http01 != challenge.end());
  h.apply(R"(apiVersion: acme.cert-manager.io/v1
kind: Order
metadata:
  name: web-1-3294315586
  namespace: shop
)" + owner("cert-manager.io/v1", "CertificateRequest", "web-1", uid_of(h, request)) +
          R"(spec:
  request: )" +
          base64_encode(*csr) +
          R"(
  issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer, group: cert-manager.io}
  dnsNames: [web.shop.example.com]
)");
  const std::string order = "/apis/acme.cert-manager.io/v1/namespaces/shop/orders/web-1-3294315586";
  patch_status(
      h, order,
      R"({"url":")" + placed.url + R"(","finalizeURL":")" + placed.order.finalize +
          R"(","state":"pending","authorizations":[{"url":")" + placed.order.authorizations.at(0) +
          R"(","identifier":"web.shop.example.com","initialState":"pending","wildcard":false,"challenges":[{"url":")" +
          http01->url + R"(","token":")" + http01->token + R"(","type":"http-01"}]}]})");
  h.apply(R"(apiVersion: acme.cert-manager.io/v1
kind: Challenge
metadata:
  name: web-1-3294315586-1846207617
  namespace: shop
  finalizers: [finalizer.acme.cert-manager.io]
)" + owner("acme.cert-manager.io/v1", "Order", "web-1-3294315586", uid_of(h, order)) +
          R"(spec:
  url: )" +
          http01->url +
          R"(
  authorizationURL: )" +
          placed.order.authorizations.at(0) + R"(
  dnsName: web.shop.example.com
  type: HTTP-01
  token: )" +
          http01->token +
          R"(
  key: )" +
          certmill::acme::key_authorization(http01->token, placed.thumbprint) +
          R"(
  issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer, group: cert-manager.io}
  solver:
    http01:
      ingress:
        ingressClassName: nginx
)");
  // Beside it, a Certificate with nothing in flight.
  h.apply(certificate_yaml("fresh"));

  h.start();
  for (const char* name : {"web", "fresh"}) {
    INFO(name);
    REQUIRE(eventually_moving_clock(h, [&] {
      return h.condition(
                 std::string("/apis/cert-manager.io/v1/namespaces/shop/certificates/") + name,
                 "Ready") == "True";
    }));
  }

  // The order cert-manager placed was finished, with the key it made.
  const auto orders = acme_items(h, "orders");
  REQUIRE(orders.size() == 2);  // cert-manager's, and fresh's new one
  bool continued = false;
  for (const auto& o : orders) {
    if (o.at("metadata").at("name").as_string() != "web-1-3294315586")
      continue;
    continued = true;
    CHECK(o.at("status").at("url").as_string() == placed.url);
    CHECK(o.at("status").at("state").as_string() == "valid");
  }
  CHECK(continued);
  auto stored_key = pki::parse_private_key(h.secret_data("shop", "web-tls", "tls.key"), "tls.key");
  REQUIRE(stored_key);
  CHECK(pki::public_keys_equal(stored_key->get(), next_key->get()));
  // The adopted Challenge lost cert-manager's finalizer and went once solved.
  CHECK(eventually([&] { return acme_items(h, "challenges").empty(); }));
}
