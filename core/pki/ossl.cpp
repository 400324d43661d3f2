// OpenSSL's error queue as certmill Error messages.
#include "core/pki/ossl.hpp"

#include <openssl/err.h>

namespace certmill::pki {

Error ossl_error(Errc code, std::string_view what) {
  std::string message(what);
  const char* separator = ": ";
  while (const unsigned long e = ERR_get_error()) {
    char reason[256];
    ERR_error_string_n(e, reason, sizeof reason);
    message += separator;
    message += reason;
    separator = "; ";
  }
  return Error(code, std::move(message));
}

void ossl_clear_errors() noexcept {
  ERR_clear_error();
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace certmill::pki
