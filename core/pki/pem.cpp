// PEM framing through OpenSSL's reader, which accepts what Go's encoding/pem
// accepts for the blocks certmill reads (no encrypted-PEM headers).
#include "core/pki/pem.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "core/pki/ossl.hpp"

namespace certmill::pki {

Result<std::vector<PemBlock>> pem_decode(std::string_view text, std::string_view what) {
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio)
    return ossl_error(Errc::invalid_value, "cannot read " + std::string(what));
  std::vector<PemBlock> blocks;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
      const unsigned long e = ERR_peek_last_error();
      if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE &&
          !blocks.empty()) {
        ossl_clear_errors();
        return blocks;
      }
      if (blocks.empty() && ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
        ossl_clear_errors();
        return Error(Errc::invalid_value, std::string(what) + " holds no PEM block");
      }
      return ossl_error(Errc::invalid_value, std::string(what) + " is not valid PEM");
    }
    PemBlock block{name,
                   std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(len))};
    const bool has_headers = header != nullptr && *header != '\0';
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_clear_free(data, static_cast<std::size_t>(len));
    if (has_headers)
      return Error(Errc::invalid_value, std::string(what) +
                                            " holds an encrypted or annotated PEM block (" +
                                            block.type + "); certmill reads only plain PEM");
    blocks.push_back(std::move(block));
  }
}

std::string pem_encode(std::string_view type, std::string_view der) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const std::string name(type);
  PEM_write_bio(bio.get(), name.c_str(), "", reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  return bio_contents(bio.get());
}

}  // namespace certmill::pki
