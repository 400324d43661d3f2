// What every object certmill writes to route an HTTP-01 challenge shares with
// cert-manager's solver objects: the generated name prefix, the labels that
// find them again, the owner reference that lets the Challenge's deletion
// collect them, and the Service that answers. certmill runs no solver pods:
// the backend is its own Service in front of its HTTP-01 listener.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/api/acme.hpp"
#include "core/api/meta.hpp"
#include "core/result.hpp"

namespace certmill::solvers {

// cert-manager's acmesolver port, and certmill's --http01-listen-address port.
inline constexpr int32_t kSolverPort = 8089;
inline constexpr std::string_view kSolverGenerateName = "cm-acme-http-solver-";
inline constexpr std::string_view kSolverLabel = "acme.cert-manager.io/http01-solver";
inline constexpr std::string_view kDomainLabel = "acme.cert-manager.io/http-domain";
inline constexpr std::string_view kTokenLabel = "acme.cert-manager.io/http-token";

// The Service that reaches certmill's HTTP-01 listener.
struct SolverService {
  std::string name;
  // For an HTTPRoute backendRef; empty means the Challenge's namespace, as
  // cert-manager writes it (another namespace needs a ReferenceGrant there).
  // An Ingress backend is always in the Ingress's own namespace.
  std::string namespace_;
  int32_t port = kSolverPort;
};

// cert-manager's labels on solver objects: the domain's and token's Adler-32
// checksums in decimal (a label value cannot hold a long name), and
// http01-solver "true".
api::StringMap solver_labels(const api::Challenge& challenge);

// The Challenge as controller owner (apiVersion acme.cert-manager.io/v1).
api::OwnerReference challenge_owner(const api::Challenge& challenge);

// The challenge's path, once its type is HTTP-01 and its token base64url: a
// token with "/" or ".." is an error, never a route.
Result<std::string> solver_path(const api::Challenge& challenge);

// "challenge <namespace>/<name>", how errors name the challenge.
std::string describe(const api::Challenge& challenge);

// Adler-32 (RFC 1950 §8.2), Go's hash/adler32.
uint32_t adler32(std::string_view data);

// Whether `name` is an IP address: its challenge is served for every host.
bool is_ip_address(std::string_view name);

}  // namespace certmill::solvers
