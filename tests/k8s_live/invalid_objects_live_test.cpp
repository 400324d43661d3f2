// One malformed object must not blind the informer to the rest: it is named
// in an error and left out, the others are cached, and it is picked up once
// it is fixed. (A permissive CRD lets kube-sim store what certmill's schema
// rejects, as an older or hand-edited CRD would.)
#include <catch2/catch.hpp>

#include "core/api/certificate.hpp"
#include "k8s/informer.hpp"
#include "tests/k8s_live/live.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::k8s;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPermissiveCrd =
    R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",)"
    R"("metadata":{"name":"certificates.cert-manager.io"},"spec":{"group":"cert-manager.io",)"
    R"("names":{"kind":"Certificate","listKind":"CertificateList","plural":"certificates",)"
    R"("singular":"certificate"},"scope":"Namespaced","versions":[{"name":"v1","served":true,)"
    R"("storage":true,"schema":{"openAPIV3Schema":{"type":"object",)"
    R"("x-kubernetes-preserve-unknown-fields":true}}}]}})";

std::string certificate(const std::string& name, const std::string& dns_names) {
  return R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":")" + name +
         R"(","namespace":"default"},"spec":{"secretName":")" + name +
         R"(-tls","issuerRef":{"name":"ca"},"dnsNames":)" + dns_names + "}}";
}

struct View {
  std::string namespace_;
  std::string name;
  std::vector<std::string> dns_names;
  bool operator==(const View&) const = default;
};

}  // namespace

TEST_CASE("a Certificate with a wrong type is reported and skipped: the rest are cached") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);
  reactor::Reactor reactor(2);
  auto client = test::make_client(reactor.shard(0), config);
  Informer<api::Certificate, View> informer(reactor, {}, [](api::Certificate&& c) {
    return View{c.metadata.namespace_, c.metadata.name, std::move(c.spec.dns_names)};
  });
  reactor.start();

  auto send = [&](std::string method, std::string target, std::string body) {
    auto r = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<HttpResponse>> {
      HttpRequest request;
      request.method = method;
      request.target = target;
      request.body = body;
      request.content_type =
          method == "PATCH" ? "application/merge-patch+json" : "application/json";
      co_return co_await client->http().send(request, 10s);
    });
    REQUIRE(r.ok());
    INFO(r->body);
    REQUIRE(r->status < 300);
  };
  const std::string certs = "/apis/cert-manager.io/v1/namespaces/default/certificates";
  send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", kPermissiveCrd);
  send("POST", certs, certificate("good", R"(["good.example.com"])"));
  send("POST", certs, certificate("bad", "7"));

  auto cached = [&](const std::string& key) -> std::optional<View> {
    const unsigned shard = reactor::Reactor::shard_index(key, reactor.size());
    return reactor::run_and_wait(reactor.shard(shard).executor(), [&]() -> std::optional<View> {
      const View* v = informer.partition(shard).find(key);
      return v ? std::optional(*v) : std::nullopt;
    });
  };

  reactor.spawn_service(reactor.shard(0),
                        [&]() -> asio::awaitable<void> { co_await informer.run(*client); });
  REQUIRE(test::eventually([&] { return informer.synced(); }));
  CHECK(cached("default/good").has_value());
  CHECK_FALSE(cached("default/bad").has_value());
  CHECK(informer.stats().invalid == 1);

  // Fixed: it arrives. Broken again: the last good state stays.
  send("PATCH", certs + "/bad", R"({"spec":{"dnsNames":["bad.example.com"]}})");
  REQUIRE(test::eventually([&] { return cached("default/bad").has_value(); }));
  send("PATCH", certs + "/good", R"({"spec":{"dnsNames":{"not":"a list"}}})");
  REQUIRE(test::eventually([&] { return informer.stats().invalid == 2; }));
  REQUIRE(cached("default/good").has_value());
  CHECK(cached("default/good")->dns_names == std::vector<std::string>{"good.example.com"});

  // Deleting the malformed object still removes it.
  send("DELETE", certs + "/good", "");
  REQUIRE(test::eventually([&] { return !cached("default/good").has_value(); }));
  reactor.shutdown(1s, 1s).get();
  reactor.join();
}

TEST_CASE("a watch stream that sends garbage or a cut-off event is resumed, missing nothing") {
  test::KubeSim sim;
  const ClientConfig config = test::client_config(sim);
  reactor::Reactor reactor(1);
  auto client = test::make_client(reactor.shard(0), config);
  InformerOptions options;
  options.backoff = {10ms, 100ms, 2.0, 0.2};
  Informer<api::Certificate, View> informer(reactor, options, [](api::Certificate&& c) {
    return View{c.metadata.namespace_, c.metadata.name, std::move(c.spec.dns_names)};
  });
  reactor.start();
  auto send = [&](std::string method, std::string target, std::string body) {
    auto r = test::run_on(reactor.shard(0), [&]() -> asio::awaitable<Result<HttpResponse>> {
      HttpRequest request;
      request.method = method;
      request.target = target;
      request.body = body;
      request.content_type = "application/json";
      co_return co_await client->http().send(request, 10s);
    });
    REQUIRE(r.ok());
    INFO(r->body);
    REQUIRE(r->status < 300);
  };
  const std::string certs = "/apis/cert-manager.io/v1/namespaces/default/certificates";
  send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", kPermissiveCrd);
  send("POST", certs, certificate("one", R"(["one.example.com"])"));
  reactor.spawn_service(reactor.shard(0),
                        [&]() -> asio::awaitable<void> { co_await informer.run(*client); });
  REQUIRE(test::eventually([&] { return informer.synced() && informer.stats().watches >= 1; }));

  const std::uint64_t watches = informer.stats().watches;
  send("POST", "/kube-sim/faults", R"({"watchGarbage": "this is not JSON"})");
  send("POST", certs, certificate("two", R"(["two.example.com"])"));
  REQUIRE(test::eventually([&] { return informer.stats().watches > watches; }));
  send("POST", "/kube-sim/faults",
       R"({"watchGarbage": "{\"type\":\"ADDED\",\"object\":{\"metadata\":"})");
  send("POST", certs, certificate("three", R"(["three.example.com"])"));

  REQUIRE(test::eventually([&] { return informer.stats().cached == 3; }));
  CHECK(informer.stats().watches >= watches + 2);  // each broken stream was replaced
  CHECK(informer.stats().errors >= 2);
  CHECK(informer.stats().invalid == 0);  // garbage is not mistaken for an object
  reactor.shutdown(1s, 1s).get();
  reactor.join();
}
