// Codecs of the Kubernetes resources certmill touches besides its own:
// Secret, Ingress, Gateway, HTTPRoute, Event, Lease.
#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "core/api/event.hpp"
#include "core/api/gateway.hpp"
#include "core/api/ingress.hpp"
#include "core/api/lease.hpp"
#include "core/api/secret.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_recording.hpp"
#include "tests/support/manifests.hpp"

using namespace certmill;
using namespace certmill::api;

TEST_CASE("a TLS Secret holds its data as raw bytes") {
  const auto secret = test::load_manifest<Secret>("secret-tls.json");
  CHECK(secret.type == "kubernetes.io/tls");
  CHECK(secret.metadata.labels.at("controller.cert-manager.io/fao") == "true");
  CHECK(secret.metadata.annotations.at("cert-manager.io/issuer-name") == "ca-issuer");
  CHECK(secret.metadata.annotations.at("cert-manager.io/ip-sans").empty());
  REQUIRE(secret.data.size() == 4);
  CHECK_THAT(secret.data.at("tls.crt").data, Catch::StartsWith("-----BEGIN CERTIFICATE-----"));
  CHECK_THAT(secret.data.at("tls.key").data, Catch::StartsWith("-----BEGIN PRIVATE KEY-----"));
  // Binary values (DER) keep every byte, NUL and high bytes included.
  CHECK(secret.data.at("key.der").data ==
        std::string("\x30\x81\x87\x02\x01\x00\x00\xff\x80\x7f", 10));
  CHECK_FALSE(secret.immutable.has_value());
}

TEST_CASE("a Secret's stringData and immutable flag encode as written") {
  Secret secret;
  secret.metadata.name = "creds";
  secret.type = "Opaque";
  secret.string_data = {{"token", "s3cr3t"}};
  secret.data = {{"empty", Bytes{}}};
  secret.immutable = false;
  CHECK(encode(secret) ==
        R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds"},"type":"Opaque",)"
        R"("data":{"empty":""},"stringData":{"token":"s3cr3t"},"immutable":false})");
}

TEST_CASE("an annotated Ingress decodes its TLS hosts and rules") {
  const auto ingress = test::load_manifest<Ingress>("ingress.json");
  CHECK(ingress.metadata.annotations.at("cert-manager.io/cluster-issuer") == "letsencrypt-prod");
  CHECK(ingress.metadata.annotations.at("kubernetes.io/tls-acme") == "true");
  CHECK(ingress.spec.ingress_class_name == "nginx");
  REQUIRE(ingress.spec.tls.size() == 1);
  CHECK(ingress.spec.tls[0].secret_name == "shop-tls");
  CHECK(ingress.spec.tls[0].hosts ==
        std::vector<std::string>{"shop.example.com", "www.shop.example.com"});
  REQUIRE(ingress.spec.default_backend.has_value());
  CHECK(ingress.spec.default_backend->service->port.name == "http");
  REQUIRE(ingress.spec.rules.size() == 2);
  const HTTPIngressPath& api = ingress.spec.rules[0].http->paths.at(1);
  CHECK(api.path == "/api");
  CHECK(api.path_type == "Exact");
  CHECK(api.backend.service->name == "shop-api");
  CHECK(api.backend.service->port.number == 8080);
}

TEST_CASE("a Gateway decodes its listeners and an HTTPRoute its rules") {
  const auto gateway = test::load_manifest<Gateway>("gateway.json");
  CHECK(gateway.spec.gateway_class_name == "cilium");
  REQUIRE(gateway.spec.listeners.size() == 3);
  const Listener& https = gateway.spec.listeners[1];
  CHECK(https.hostname == "example.com");
  CHECK(https.port == 443);
  CHECK(https.protocol == "HTTPS");
  REQUIRE(https.tls.has_value());
  CHECK(https.tls->mode == "Terminate");
  REQUIRE(https.tls->certificate_refs.size() == 1);
  CHECK(https.tls->certificate_refs[0].name == "example-com-tls");
  CHECK(https.tls->certificate_refs[0].group.empty());
  CHECK(gateway.spec.listeners[0].allowed_routes.text == R"({"namespaces":{"from":"All"}})");
  CHECK_FALSE(gateway.spec.listeners[0].tls.has_value());

  const auto route = test::load_manifest<HTTPRoute>("httproute.json");
  REQUIRE(route.spec.parent_refs.size() == 1);
  CHECK(route.spec.parent_refs[0].section_name == "http");
  CHECK_FALSE(route.spec.parent_refs[0].port.has_value());
  const HTTPRouteRule& rule = route.spec.rules.at(0);
  CHECK(rule.matches.at(0).path->type == "Exact");
  CHECK(rule.matches.at(0).path->value == "/.well-known/acme-challenge/tok-http-111");
  CHECK(rule.backend_refs.at(0).port == 8089);
  CHECK(rule.backend_refs.at(0).kind == "Service");
}

TEST_CASE("an HTTPRoute backendRef keeps an explicit empty group and its weight") {
  // cert-manager writes the core group as "" and a weight of 1 on its solver
  // routes; an unset group stays unset.
  const std::string json =
      R"({"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute",)"
      R"("metadata":{"name":"r"},"spec":{"rules":[{"backendRefs":[)"
      R"({"group":"","kind":"Service","name":"a","port":8089,"weight":1},{"name":"b"}]}]}})";
  auto route = decode<HTTPRoute>(json);
  REQUIRE(route.ok());
  const auto& refs = route->spec.rules.at(0).backend_refs;
  CHECK(refs.at(0).group == std::optional<std::string>(""));
  CHECK(refs.at(0).weight == 1);
  CHECK_FALSE(refs.at(1).group.has_value());
  CHECK_FALSE(refs.at(1).weight.has_value());
  CHECK(encode(*route) == json);
}

TEST_CASE("an Event keeps second and microsecond timestamps apart") {
  const auto event = test::load_manifest<Event>("event.json");
  CHECK(event.involved_object.kind == "Certificate");
  CHECK(event.involved_object.resource_version == "5519");
  CHECK(event.count == 3);
  CHECK(event.type == "Normal");
  CHECK(event.source.host == "node-1");
  CHECK(format_time(event.last_timestamp.value()) == "2024-05-01T10:20:00Z");
  CHECK(format_micro_time(event.event_time.value()) == "2024-05-01T10:20:00.123456Z");
  CHECK(event.action == "Issue");
}

TEST_CASE("an Event created through the API server decodes, with eventTime null") {
  const std::string body =
      test::response_body(test::read_file("tests/core/kube-api/13-event-create.response.txt"));
  auto event = decode<Event>(body);
  REQUIRE(event.ok());
  CHECK(event->metadata.name == "late.187a1b2c3d4e5f60");
  CHECK(event->reason == "Issuing");
  CHECK_FALSE(event->event_time.has_value());
  CHECK(event->source.component == "cert-manager-certificates-trigger");
  CHECK(event->reporting_instance.empty());
}

TEST_CASE("a Lease decodes its holder and microsecond times") {
  const auto lease = test::load_manifest<Lease>("lease.json");
  CHECK(lease.metadata.namespace_ == "kube-system");
  CHECK(lease.spec.lease_duration_seconds == 60);
  CHECK(lease.spec.lease_transitions == 4);
  CHECK_THAT(lease.spec.holder_identity, Catch::StartsWith("certmill-7d9f8b6c5-x2k4p_"));
  const MicroTime renew = lease.spec.renew_time.value();
  CHECK(renew - lease.spec.acquire_time.value() ==
        std::chrono::hours(1) + std::chrono::minutes(20) + std::chrono::microseconds(15'482'913));
}
