// Fuzzer: what an ACME CA answers — directory, account, order,
// authorization, challenge, problem documents and renewal information.
// Any bytes decode to a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/acme/ari.hpp"
#include "core/acme/objects.hpp"
#include "core/acme/problem.hpp"

using namespace certmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  (void)acme::decode_directory(json);
  (void)acme::decode_account(json);
  (void)acme::decode_order(json);
  (void)acme::decode_authorization(json);
  (void)acme::decode_challenge(json);
  (void)acme::decode_problem(json);
  (void)acme::decode_renewal_info(json);
  return 0;
}
