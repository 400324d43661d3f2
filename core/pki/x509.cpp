// Certificate decoding through OpenSSL's X509 accessors.
#include "core/pki/x509.hpp"

#include <chrono>
#include <ctime>

#include <openssl/pem.h>

#include "core/pki/extensions.hpp"
#include "core/pki/pem.hpp"

namespace certmill::pki {

namespace {

Time to_time(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  using namespace std::chrono;
  const sys_days day =
      year_month_day(year(tm.tm_year + 1900), month(static_cast<unsigned>(tm.tm_mon + 1)),
                     std::chrono::day(static_cast<unsigned>(tm.tm_mday)));
  return Time(day) + hours(tm.tm_hour) + minutes(tm.tm_min) + seconds(tm.tm_sec);
}

std::string serial_hex(const ASN1_INTEGER* serial) {
  BnPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex);
  OPENSSL_free(hex);
  for (char& c : out)
    c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  const auto nonzero = out.find_first_not_of('0');
  return nonzero == std::string::npos ? "0" : out.substr(nonzero);
}

std::string octet_bytes(const ASN1_OCTET_STRING* s) {
  if (s == nullptr)
    return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

CertificateInfo read_info(X509* x) {
  CertificateInfo info;
  info.not_before = to_time(X509_get0_notBefore(x));
  info.not_after = to_time(X509_get0_notAfter(x));
  info.serial_hex = serial_hex(X509_get0_serialNumber(x));
  info.subject = read_name(X509_get_subject_name(x));
  info.subject_text = name_text(X509_get_subject_name(x));
  info.issuer_text = name_text(X509_get_issuer_name(x));
  const ExtensionSummary ext = summarize(X509_get0_extensions(x));
  info.sans = ext.sans;
  info.key_usage = ext.key_usage.value_or(0);
  info.extended_key_usage = ext.extended_key_usage.value_or(std::vector<int>{});
  info.is_ca = ext.is_ca.value_or(false);
  info.name_constraints = ext.name_constraints;
  info.subject_key_id = octet_bytes(X509_get0_subject_key_id(x));
  info.authority_key_id = octet_bytes(X509_get0_authority_key_id(x));
  EVP_PKEY* key = X509_get0_pubkey(x);
  info.self_signed = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 &&
                     key != nullptr && X509_verify(x, key) == 1;
  ossl_clear_errors();
  return info;
}

}  // namespace

Certificate::Certificate(X509Ptr x509) : x509_(std::move(x509)), info_(read_info(x509_.get())) {}

Certificate::Certificate(const Certificate& other) : info_(other.info_) {
  X509_up_ref(other.x509_.get());
  x509_.reset(other.x509_.get());
}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) {
    X509_up_ref(other.x509_.get());
    x509_.reset(other.x509_.get());
    info_ = other.info_;
  }
  return *this;
}

std::string Certificate::der() const {
  unsigned char* der = nullptr;
  const int len = i2d_X509(x509_.get(), &der);
  if (len <= 0)
    return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string Certificate::pem() const {
  return pem_encode("CERTIFICATE", der());
}

bool Certificate::signed_by(const Certificate& issuer) const {
  EVP_PKEY* key = X509_get0_pubkey(issuer.get());
  const bool ok =
      key != nullptr &&
      X509_NAME_cmp(X509_get_issuer_name(get()), X509_get_subject_name(issuer.get())) == 0 &&
      X509_verify(get(), key) == 1;
  ossl_clear_errors();
  return ok;
}

Result<std::vector<Certificate>> parse_certificates(std::string_view pem, std::string_view what) {
  auto blocks = pem_decode(pem, what);
  if (!blocks)
    return blocks.error();
  std::vector<Certificate> certs;
  for (const PemBlock& block : *blocks) {
    if (block.type != "CERTIFICATE")
      continue;
    const auto* p = reinterpret_cast<const unsigned char*>(block.der.data());
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(block.der.size())));
    if (!x)
      return ossl_error(Errc::invalid_value, std::string(what) + ": certificate " +
                                                 std::to_string(certs.size() + 1) +
                                                 " does not decode");
    certs.emplace_back(std::move(x));
  }
  if (certs.empty())
    return Error(Errc::invalid_value, std::string(what) + " holds no CERTIFICATE block");
  return certs;
}

Result<Certificate> parse_certificate(std::string_view pem, std::string_view what) {
  auto certs = parse_certificates(pem, what);
  if (!certs)
    return certs.error();
  return std::move(certs->front());
}

std::string certificates_pem(const std::vector<Certificate>& certs) {
  std::string out;
  for (const Certificate& c : certs)
    out += c.pem();
  return out;
}

bool key_matches_certificate(const PrivateKey& key, const Certificate& cert) {
  return public_keys_equal(key.get(), X509_get0_pubkey(cert.get()));
}

}  // namespace certmill::pki
