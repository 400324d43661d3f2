// Every API type survives decode → encode → decode on manifests shaped as in
// cert-manager's and Kubernetes' documentation. (certificate.json keeps unknown
// and default-valued fields on purpose; certificate_codec_test.cpp covers it.)
#include <string>

#include <catch2/catch.hpp>

#include "core/api/acme.hpp"
#include "core/api/event.hpp"
#include "core/api/gateway.hpp"
#include "core/api/ingress.hpp"
#include "core/api/issuer.hpp"
#include "core/api/lease.hpp"
#include "core/api/secret.hpp"
#include "tests/support/manifests.hpp"

using namespace certmill;
using namespace certmill::api;

namespace {

struct Case {
  const char* manifest;
  void (*check)(const std::string&);
};

const Case kCases[] = {
    {"clusterissuer-letsencrypt.json", &test::check_round_trip<ClusterIssuer>},
    {"issuer-acme-providers.json", &test::check_round_trip<Issuer>},
    {"issuer-ca.json", &test::check_round_trip<Issuer>},
    {"clusterissuer-selfsigned.json", &test::check_round_trip<ClusterIssuer>},
    {"issuer-vault-approle.json", &test::check_round_trip<Issuer>},
    {"issuer-vault-kubernetes.json", &test::check_round_trip<Issuer>},
    {"order.json", &test::check_round_trip<Order>},
    {"challenge.json", &test::check_round_trip<Challenge>},
    {"secret-tls.json", &test::check_round_trip<Secret>},
    {"ingress.json", &test::check_round_trip<Ingress>},
    {"gateway.json", &test::check_round_trip<Gateway>},
    {"httproute.json", &test::check_round_trip<HTTPRoute>},
    {"event.json", &test::check_round_trip<Event>},
    {"lease.json", &test::check_round_trip<Lease>},
};

}  // namespace

TEST_CASE("every manifest survives decode, encode and decode") {
  for (const Case& c : kCases) {
    DYNAMIC_SECTION(c.manifest) {
      c.check(c.manifest);
    }
  }
}
