// Fuzzer: PEM and the DER inside it, as Secrets, CA answers and requests
// carry them — certificates and chains, CSRs, private keys. Any bytes parse
// to a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/ossl.hpp"
#include "core/pki/x509.hpp"

using namespace certmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view pem(reinterpret_cast<const char*>(data), size);
  if (auto certs = pki::parse_certificates(pem, "fuzz")) {
    for (const pki::Certificate& cert : *certs)
      (void)cert.pem();
  }
  (void)pki::read_csr(pem);
  (void)pki::parse_private_key(pem, "fuzz");
  pki::ossl_clear_errors();
  return 0;
}
