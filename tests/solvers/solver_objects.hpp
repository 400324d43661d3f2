// A Challenge as cert-manager's order controller writes it, for the tests of
// the objects that route it.
#pragma once

#include "core/api/acme.hpp"

namespace certmill::test {

inline api::Challenge http01_challenge(api::ACMEChallengeSolverHTTP01 http01) {
  api::Challenge challenge;
  challenge.metadata.name = "www-example-com-1-3677445741-2690577496";
  challenge.metadata.namespace_ = "shop";
  challenge.metadata.uid = "6f1c2d1e-0b1a-4c55-9d3e-1c2b3a4d5e6f";
  challenge.spec.dns_name = "www.example.com";
  challenge.spec.type = api::AcmeChallengeType::HTTP01;
  challenge.spec.token = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
  challenge.spec.solver.http01 = std::move(http01);
  return challenge;
}

inline api::Challenge ingress_challenge(api::ACMEChallengeSolverHTTP01Ingress ingress = {}) {
  api::ACMEChallengeSolverHTTP01 http01;
  http01.ingress = std::move(ingress);
  return http01_challenge(std::move(http01));
}

}  // namespace certmill::test
