// HTTP-01 routing in a cluster with no solver pods, end to end on kube-sim
// and Pebble: with a pod IP, each Challenge gets a Service and an
// EndpointSlice that lead to the answering listener, owned by the Challenge
// and collected with it; a new leader re-points the slices a former leader
// left; a standby answers no challenge. And ingress-shim's ACME annotations
// reach the Challenge's solver: http01-edit-in-place makes the order edit
// the annotated Ingress, http01-ingress-class sets the solver Ingress's
// class. Self-checks ask a scripted server that answers 404 until told
// otherwise, so Challenges stay open long enough to be looked at.
#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "solvers/http01/solver_endpoint.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/plain_http.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace certmill::test;
namespace json = boost::json;

namespace {

const std::string kNamespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";

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

std::string certificate_yaml(const std::string& name, const std::string& host) {
  return "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: " + name +
         "\n  namespace: shop\nspec:\n  secretName: " + name + "-tls\n  dnsNames: [" + host +
         "]\n  privateKey:\n    algorithm: ECDSA\n  issuerRef:\n    name: letsencrypt-staging\n"
         "    kind: ClusterIssuer\n";
}

// An Ingress asking for a Certificate through ingress-shim, with `extra`
// annotations (indented by four spaces).
std::string shim_ingress_yaml(const std::string& name, const std::string& host,
                              const std::string& extra) {
  return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
         "\n  namespace: shop\n  annotations:\n    cert-manager.io/cluster-issuer: "
         "letsencrypt-staging\n" +
         extra + "spec:\n  ingressClassName: nginx\n  tls:\n  - hosts: [" + host +
         "]\n    secretName: " + name + "-tls\n  rules:\n  - host: " + host +
         "\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n"
         "          service:\n            name: " +
         name + "\n            port:\n              number: 80\n";
}

std::vector<json::value> items(ControllerHarness& h, const std::string& path) {
  auto list = h.get(path);
  if (!list)
    throw std::runtime_error("no collection at " + path);
  const auto& array = list->at("items").as_array();
  return {array.begin(), array.end()};
}

const std::string kChallenges = "/apis/acme.cert-manager.io/v1/namespaces/shop/challenges";
const std::string kServices = "/api/v1/namespaces/shop/services";
const std::string kSlices = "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices";
const std::string kIngresses = "/apis/networking.k8s.io/v1/namespaces/shop/ingresses";

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// The open Challenge for `host`, once its status says it is presented.
std::optional<json::value> presented(ControllerHarness& h, const std::string& host) {
  for (const json::value& ch : items(h, kChallenges)) {
    const auto* status = ch.as_object().if_contains("status");
    if (str(ch.at("spec").at("dnsName")) == host && status &&
        status->as_object().if_contains("presented") && status->at("presented") == true)
      return ch;
  }
  return std::nullopt;
}

// The challenge path of a solver Ingress's rules, and the Service it names.
std::optional<std::string> backend_for(const json::value& ingress, const std::string& token) {
  for (const json::value& rule : ingress.at("spec").at("rules").as_array()) {
    for (const json::value& path : rule.at("http").at("paths").as_array()) {
      if (str(path.at("path")) == "/.well-known/acme-challenge/" + token)
        return str(path.at("backend").at("service").at("name"));
    }
  }
  return std::nullopt;
}

void check_owner(const json::value& object, const json::value& challenge) {
  const auto& owners = object.at("metadata").at("ownerReferences").as_array();
  REQUIRE(owners.size() == 1);
  CHECK(owners[0].at("kind") == "Challenge");
  CHECK(owners[0].at("apiVersion") == "acme.cert-manager.io/v1");
  CHECK(owners[0].at("name") == challenge.at("metadata").at("name"));
  CHECK(owners[0].at("uid") == challenge.at("metadata").at("uid"));
  CHECK(owners[0].at("controller") == true);
  CHECK(owners[0].at("blockOwnerDeletion") == true);
}

// An EndpointSlice as a former leader (or someone else, unmanaged) left it.
std::string slice_json(const std::string& name, const std::string& type, const std::string& ip,
                       bool managed) {
  json::object labels{{"kubernetes.io/service-name", name}};
  if (managed)
    labels["endpointslice.kubernetes.io/managed-by"] = "certmill.io";
  return json::serialize(json::object{
      {"apiVersion", "discovery.k8s.io/v1"},
      {"kind", "EndpointSlice"},
      {"metadata", {{"name", name}, {"namespace", "shop"}, {"labels", labels}}},
      {"addressType", type},
      {"endpoints", json::array{json::object{{"addresses", json::array{ip}}}}},
      {"ports", json::array{json::object{{"name", "http"}, {"protocol", "TCP"}, {"port", 8089}}}},
  });
}

std::string slice_address(ControllerHarness& h, const std::string& name) {
  auto slice = h.get(kSlices + "/" + name);
  return slice ? str(slice->at("endpoints").at(0).at("addresses").at(0)) : std::string();
}

}  // namespace

TEST_CASE("with a pod IP each Challenge gets a Service and EndpointSlice to the listener") {
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  ScriptedHttp route(http_reply(404, "default backend - 404"));
  auto config = resolving_with(pebble.dns_port);
  config.runtime.http01_self_check.port = route.port();
  config.runtime.pod_ip = "127.0.0.1";
  ControllerHarness h(config, true, "127.0.0.1:0");
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble));
  h.apply(certificate_yaml("late", "late.example.com"));

  std::optional<json::value> challenge;
  REQUIRE(eventually([&] {
    challenge = presented(h, "late.example.com");
    return challenge && items(h, kIngresses).size() == 1 && items(h, kSlices).size() == 1;
  }));
  api::Challenge named;
  named.metadata.name = str(challenge->at("metadata").at("name"));
  const std::string service_name = solvers::solver_service_name(named);
  const std::string token = str(challenge->at("spec").at("token"));

  // The solver Ingress routes to the Challenge's own Service.
  CHECK(backend_for(items(h, kIngresses).at(0), token) == service_name);

  auto service = h.get(kServices + "/" + service_name);
  REQUIRE(service);
  check_owner(*service, *challenge);
  CHECK_FALSE(service->at("spec").as_object().contains("selector"));
  const auto& port = service->at("spec").at("ports").at(0);
  CHECK(port.at("name") == "http");
  CHECK(port.at("port") == 8089);

  auto slice = h.get(kSlices + "/" + service_name);
  REQUIRE(slice);
  check_owner(*slice, *challenge);
  CHECK(str(slice->at("metadata").at("labels").at("kubernetes.io/service-name")) == service_name);
  CHECK(slice->at("metadata").at("labels").at("endpointslice.kubernetes.io/managed-by") ==
        "certmill.io");
  CHECK(slice->at("addressType") == "IPv4");
  CHECK(slice_address(h, service_name) == "127.0.0.1");
  // The slice's port is the listener's: asking there gives the key
  // authorization, as kube-proxy would deliver the CA's request.
  const auto slice_port = slice->at("ports").at(0).at("port").to_number<unsigned short>();
  CHECK(port.at("targetPort") == slice_port);
  const auto answer = plain_http_get(slice_port, "/.well-known/acme-challenge/" + token);
  CHECK(answer.status == 200);
  CHECK(answer.body == str(challenge->at("spec").at("key")));

  // Deleting the Challenge collects both, through their owner reference.
  const std::string challenge_path = kChallenges + "/" + named.metadata.name;
  REQUIRE(h.send("DELETE", challenge_path).status == 200);
  CHECK(eventually([&] {
    return !h.get(kServices + "/" + service_name) && !h.get(kSlices + "/" + service_name);
  }));
  CHECK(items(h, kSlices).empty());
}

TEST_CASE("a new leader re-points the HTTP-01 EndpointSlices a former leader left") {
  auto config = controller::ControllerConfig{};
  config.runtime.pod_ip = "127.0.0.1";
  ControllerHarness h(config, false, "127.0.0.1:0");
  h.apply(kNamespace);
  for (const std::string& body : {slice_json("stale", "IPv4", "10.9.8.7", true),
                                  slice_json("stale-v6", "IPv6", "fd00::7", true),
                                  slice_json("theirs", "IPv4", "10.9.8.7", false)})
    REQUIRE(h.send("POST", kSlices, body).status == 201);
  const std::string v6_uid = str(h.get(kSlices + "/stale-v6")->at("metadata").at("uid"));
  h.start();

  CHECK(eventually([&] {
    return slice_address(h, "stale") == "127.0.0.1" && slice_address(h, "stale-v6") == "127.0.0.1";
  }));
  auto stale = h.get(kSlices + "/stale");
  REQUIRE(stale);
  CHECK(stale->at("endpoints").as_array().size() == 1);
  // The listener's port, where this process answers: a 404 for no token,
  // not the 503 of a standby.
  const auto port = stale->at("ports").at(0).at("port").to_number<unsigned short>();
  CHECK(plain_http_get(port, "/.well-known/acme-challenge/none").status == 404);
  // addressType cannot change: the IPv6 slice is a new object now.
  auto v6 = h.get(kSlices + "/stale-v6");
  REQUIRE(v6);
  CHECK(v6->at("addressType") == "IPv4");
  CHECK(str(v6->at("metadata").at("uid")) != v6_uid);
  // A slice without certmill's label is someone else's.
  CHECK(slice_address(h, "theirs") == "10.9.8.7");
}

TEST_CASE("a controller that does not lead yet answers no HTTP-01 challenge") {
  KubeSim sim;
  reactor::Reactor reactor(1);
  reactor::WorkerPool pool(1);
  auto client = make_client(reactor.shard(0), client_config(sim));
  controller::Controller controller(reactor, {client.get()}, pool, {});
  CHECK_FALSE(controller.http01().serving());
  controller.start();
  CHECK(controller.http01().serving());
  reactor.start();
  reactor.shutdown(std::chrono::seconds(5), std::chrono::seconds(5)).get();
  reactor.join();
  pool.stop();
}

TEST_CASE("http01-edit-in-place and http01-ingress-class reach the Challenges' solvers") {
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  ScriptedHttp route(http_reply(404, "default backend - 404"));
  auto config = resolving_with(pebble.dns_port);
  config.runtime.http01_self_check.port = route.port();
  ControllerHarness h(config, true, "127.0.0.1:0");
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble));
  h.apply(shim_ingress_yaml("web", "web.shop.example.com",
                            "    acme.cert-manager.io/http01-edit-in-place: \"true\"\n"));
  h.apply(shim_ingress_yaml("api", "api.shop.example.com",
                            "    acme.cert-manager.io/http01-ingress-class: traefik\n"));

  std::optional<json::value> web, api;
  REQUIRE(eventually([&] {
    web = presented(h, "web.shop.example.com");
    api = presented(h, "api.shop.example.com");
    return web && api && items(h, kIngresses).size() == 3;
  }));
  // The Certificate carries the override, and the Order too.
  auto crt = h.get("/apis/cert-manager.io/v1/namespaces/shop/certificates/web-tls");
  REQUIRE(crt);
  const auto& annotations = crt->at("metadata").at("annotations");
  CHECK(annotations.at("acme.cert-manager.io/http01-override-ingress-name") == "web");
  CHECK(annotations.at("cert-manager.io/issue-temporary-certificate") == "true");
  bool order_has_it = false;
  for (const json::value& order :
       items(h, "/apis/acme.cert-manager.io/v1/namespaces/shop/orders")) {
    const auto* a = order.at("metadata").as_object().if_contains("annotations");
    order_has_it |=
        a && a->as_object().contains("acme.cert-manager.io/http01-override-ingress-name");
  }
  CHECK(order_has_it);

  // web: the solver edits the annotated Ingress, its class settings cleared.
  const auto& web_ingress = web->at("spec").at("solver").at("http01").at("ingress").as_object();
  CHECK(web_ingress.at("name") == "web");
  CHECK_FALSE(web_ingress.contains("ingressClassName"));
  const std::string web_token = str(web->at("spec").at("token"));
  auto edited = h.get(kIngresses + "/web");
  REQUIRE(edited);
  // No pod IP: the configured Service, and no Service or slice of its own.
  CHECK(backend_for(*edited, web_token) == "certmill-acme-http01");
  CHECK(items(h, kServices).empty());
  CHECK(items(h, kSlices).empty());

  // api: a solver Ingress of its own, with the Ingress's class.
  const auto& api_ingress = api->at("spec").at("solver").at("http01").at("ingress").as_object();
  CHECK(api_ingress.at("class") == "traefik");
  CHECK_FALSE(api_ingress.contains("ingressClassName"));
  bool solver_with_class = false;
  for (const json::value& ingress : items(h, kIngresses)) {
    const auto* a = ingress.at("metadata").as_object().if_contains("annotations");
    solver_with_class |= a && a->as_object().contains("kubernetes.io/ingress.class") &&
                         a->at("kubernetes.io/ingress.class") == "traefik" &&
                         !ingress.at("spec").as_object().contains("ingressClassName");
  }
  CHECK(solver_with_class);

  // The route answers: both are issued and the edited Ingress loses its path.
  route.reply_with(http_reply(200, str(web->at("spec").at("key"))));
  CHECK(eventually_moving_clock(h, [&] {
    return h.condition("/apis/cert-manager.io/v1/namespaces/shop/certificates/web-tls", "Ready") ==
           "True";
  }));
  CHECK(eventually([&] { return !backend_for(*h.get(kIngresses + "/web"), web_token); }));
}
