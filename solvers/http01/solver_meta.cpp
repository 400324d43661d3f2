// Labels, owner reference, path and checksum of solver objects.
#include "solvers/http01/solver_meta.hpp"

#include <arpa/inet.h>

#include "solvers/http01/token.hpp"

namespace certmill::solvers {

std::string describe(const api::Challenge& challenge) {
  return "challenge " + challenge.metadata.namespace_ + "/" + challenge.metadata.name;
}

uint32_t adler32(std::string_view data) {
  constexpr uint32_t kModulus = 65521;
  uint32_t a = 1;
  uint32_t b = 0;
  for (const char c : data) {
    a = (a + static_cast<unsigned char>(c)) % kModulus;
    b = (b + a) % kModulus;
  }
  return (b << 16) | a;
}

api::StringMap solver_labels(const api::Challenge& challenge) {
  return {
      {std::string(kDomainLabel), std::to_string(adler32(challenge.spec.dns_name))},
      {std::string(kTokenLabel), std::to_string(adler32(challenge.spec.token))},
      {std::string(kSolverLabel), "true"},
  };
}

api::OwnerReference challenge_owner(const api::Challenge& challenge) {
  api::OwnerReference owner;
  owner.api_version = "acme.cert-manager.io/v1";
  owner.kind = "Challenge";
  owner.name = challenge.metadata.name;
  owner.uid = challenge.metadata.uid;
  owner.controller = true;
  owner.block_owner_deletion = true;
  return owner;
}

Result<std::string> solver_path(const api::Challenge& challenge) {
  if (challenge.spec.type != api::AcmeChallengeType::HTTP01)
    return Error(Errc::invalid_argument, describe(challenge) + " is not an HTTP-01 challenge");
  if (!valid_token(challenge.spec.token)) {
    return Error(Errc::invalid_value,
                 describe(challenge) +
                     ": spec.token is not a base64url token (RFC 8555 §8.1); refusing to route "
                     "a path built from it");
  }
  return challenge_path(challenge.spec.token);
}

bool is_ip_address(std::string_view name) {
  const std::string text(name);
  unsigned char buffer[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace certmill::solvers
