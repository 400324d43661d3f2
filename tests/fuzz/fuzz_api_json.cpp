// Fuzzer: the JSON codecs of the API types certmill reads from the API
// server (and its watch lines). Any bytes decode to a value or an error;
// a value encodes to JSON that decodes to the same value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/api/acme.hpp"
#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"
#include "core/api/ingress.hpp"
#include "core/api/issuer.hpp"
#include "core/api/secret.hpp"

using namespace certmill;

namespace {

template <class T>
void round_trip(std::string_view json) {
  auto decoded = api::decode<T>(json);
  if (!decoded)
    return;
  auto again = api::decode<T>(api::encode(*decoded));
  if (!again || !(*again == *decoded))
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  round_trip<api::Certificate>(json);
  round_trip<api::CertificateRequest>(json);
  round_trip<api::Issuer>(json);
  round_trip<api::ClusterIssuer>(json);
  round_trip<api::Secret>(json);
  round_trip<api::Order>(json);
  round_trip<api::Challenge>(json);
  round_trip<api::Ingress>(json);
  (void)api::decode_watch_event<api::Certificate>(json);
  (void)api::decode_list<api::Secret>(json);
  return 0;
}
