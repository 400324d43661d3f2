// The kill trial's fleet in namespace "shop": cert-manager's documented CA
// bootstrap (root my-selfsigned-ca in Secret root-secret, Issuer
// my-ca-issuer) and ClusterIssuer "le" on acme-front, then COUNT
// Certificates, half ca-I from the CA issuer and half acme-I by HTTP-01
// through Pebble, each for NAME.example.com in Secret NAME-tls. With a
// DNS-01 solver for the zone example.test (the fault storm's), every
// dns01_every-th ACME one is for NAME.example.test instead, and so proven
// by DNS-01. Header-only.
#pragma once

#include <string>
#include <vector>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/trials/trial_support.hpp"

namespace certmill::test {

struct FleetCertificate {
  std::string name;
  std::string secret;
  std::string dns_name;  // empty for the root
  bool acme = false;
};

// The root first, then ca-0, acme-0, ca-1, acme-1, ... (0: no DNS-01).
inline std::vector<FleetCertificate> kill_trial_fleet(int count, int dns01_every = 0) {
  std::vector<FleetCertificate> fleet = {{"my-selfsigned-ca", "root-secret", "", false}};
  for (int i = 0; 2 * i < count; ++i) {
    for (const char* prefix : {"ca", "acme"}) {
      if (static_cast<int>(fleet.size()) > count)
        break;
      const std::string name = prefix + ("-" + std::to_string(i));
      const bool acme = prefix[0] == 'a';
      const bool dns01 = acme && dns01_every > 0 && i % dns01_every == dns01_every - 1;
      fleet.push_back(
          {name, name + "-tls", name + (dns01 ? ".example.test" : ".example.com"), acme});
    }
  }
  return fleet;
}

// `dns01_solver`: one more solver of the ClusterIssuer, indented for
// spec.acme.solvers.
inline std::string kill_trial_manifests(const AcmeFront& front,
                                        const std::vector<FleetCertificate>& fleet,
                                        const std::string& dns01_solver = {}) {
  // acme-front runs with its limits off (kRateLimitsOff): the issuer says so,
  // or certmill would pace a fleet past 300 ACME Certificates by Let's
  // Encrypt's 300 new orders in 3 hours.
  std::string yaml =
      bootstrap_yaml("shop") +
      acme_front_cluster_issuer(front, "le", "le-account", kRateLimitsOffAnnotation) + dns01_solver;
  for (const auto& certificate : fleet) {
    if (certificate.acme)
      yaml += acme_certificate_yaml(certificate.name, certificate.dns_name, "le");
    else if (!certificate.dns_name.empty())
      yaml += "---\n" + leaf_yaml("shop", certificate.name, certificate.dns_name);
  }
  return yaml;
}

}  // namespace certmill::test
