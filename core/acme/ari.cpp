// CertIDs read straight from OpenSSL's X509 (not pki::Certificate, whose full
// summary is not needed and which also accepts certificates with odd dates),
// and the window arithmetic in whole seconds.
#include "core/acme/ari.hpp"

#include <algorithm>
#include <cmath>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/acme/base64url.hpp"
#include "core/json/codec.hpp"
#include "core/pki/ossl.hpp"
#include "core/pki/pem.hpp"

namespace certmill::json {

template <>
struct Schema<acme::RenewalWindow> {
  static constexpr auto fields = std::tuple{
      required("start", &acme::RenewalWindow::start),
      required("end", &acme::RenewalWindow::end),
  };
};

template <>
struct Schema<acme::RenewalInfo> {
  static constexpr auto fields = std::tuple{
      required("suggestedWindow", &acme::RenewalInfo::suggested_window),
      field("explanationURL", &acme::RenewalInfo::explanation_url),
  };
};

}  // namespace certmill::json

namespace certmill::acme {
namespace {

// The content octets of the serial's DER INTEGER: i2d gives tag, length and
// content; the content starts after a short or long form length.
Result<std::string> serial_content(const ASN1_INTEGER* serial) {
  unsigned char* der = nullptr;
  const int len = i2d_ASN1_INTEGER(serial, &der);
  if (len <= 0)
    return pki::ossl_error(Errc::invalid_value, "cannot encode the certificate's serial");
  const std::string encoded(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  std::size_t header = 2;
  const auto first = static_cast<unsigned char>(encoded.size() > 1 ? encoded[1] : 0);
  if (first & 0x80)
    header += first & 0x7F;
  if (encoded.size() <= header)
    return Error(Errc::invalid_value, "the certificate's serial is empty");
  return encoded.substr(header);
}

}  // namespace

Result<std::string> ari_cert_id(X509* cert) {
  if (cert == nullptr)
    return Error(Errc::invalid_argument, "no certificate");
  const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(cert);
  pki::ossl_clear_errors();
  if (aki == nullptr || ASN1_STRING_length(aki) <= 0) {
    return Error(Errc::invalid_value,
                 "the certificate has no authority key identifier, so ACME renewal information "
                 "cannot name it");
  }
  auto serial = serial_content(X509_get0_serialNumber(cert));
  if (!serial)
    return serial.error();
  const std::string_view key_id(reinterpret_cast<const char*>(ASN1_STRING_get0_data(aki)),
                                static_cast<std::size_t>(ASN1_STRING_length(aki)));
  return base64url_encode(key_id) + "." + base64url_encode(*serial);
}

Result<std::string> ari_cert_id(std::string_view pem_or_der) {
  std::string der;
  if (pem_or_der.find("-----BEGIN") != std::string_view::npos) {
    auto blocks = pki::pem_decode(pem_or_der, "certificate");
    if (!blocks)
      return blocks.error();
    const auto cert = std::find_if(blocks->begin(), blocks->end(),
                                   [](const pki::PemBlock& b) { return b.type == "CERTIFICATE"; });
    if (cert == blocks->end())
      return Error(Errc::invalid_value, "certificate: no CERTIFICATE block in the PEM");
    der = std::move(cert->der);
  } else {
    der = std::string(pem_or_der);
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  pki::X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x509)
    return pki::ossl_error(Errc::invalid_value, "certificate: not an X.509 certificate");
  return ari_cert_id(x509.get());
}

Result<RenewalInfo> decode_renewal_info(std::string_view json) {
  auto info = json::decode_document<RenewalInfo>(json);
  if (!info)
    return Error(info.error().code(), "ACME renewal info: " + info.error().message());
  const RenewalWindow& w = info->suggested_window;
  if (w.end <= w.start) {
    return Error(Errc::invalid_value, "ACME renewal info: suggestedWindow.end (" +
                                          format_time(w.end) + ") is not after its start (" +
                                          format_time(w.start) + ")");
  }
  return info;
}

Time choose_renewal_time(const RenewalWindow& window, double random) {
  if (window.end <= window.start)
    return window.start;
  // NaN fails both comparisons; clamping it to 0 keeps the result in range.
  if (!(random > 0.0))
    random = 0.0;
  if (random >= 1.0)
    random = std::nextafter(1.0, 0.0);
  const auto span = (window.end - window.start).count();
  auto offset =
      static_cast<std::chrono::seconds::rep>(std::floor(random * static_cast<double>(span)));
  offset = std::clamp<std::chrono::seconds::rep>(offset, 0, span - 1);
  return window.start + std::chrono::seconds(offset);
}

std::chrono::seconds ari_poll_interval(std::optional<std::chrono::seconds> retry_after,
                                       const AriPollBounds& bounds) {
  if (!retry_after)
    return std::clamp(bounds.fallback, bounds.min, std::max(bounds.min, bounds.max));
  return std::clamp(*retry_after, bounds.min, std::max(bounds.min, bounds.max));
}

}  // namespace certmill::acme
