// Subject distinguished names and subject alternative names: building them
// from a Certificate spec the way cert-manager (Go's crypto/x509) encodes
// them, and reading them back from a certificate or CSR.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/pki/ossl.hpp"
#include "core/result.hpp"

namespace certmill::pki {

struct SubjectAltNames {
  std::vector<std::string> dns_names;
  std::vector<std::string> email_addresses;
  std::vector<std::string> ip_addresses;  // canonical text: dotted IPv4, RFC 5952 IPv6
  std::vector<std::string> uris;
  // spec.otherNames: an OID and a UTF8String value each.
  std::vector<api::OtherName> other_names;
  bool empty() const {
    return dns_names.empty() && email_addresses.empty() && ip_addresses.empty() && uris.empty() &&
           other_names.empty();
  }
  bool operator==(const SubjectAltNames&) const = default;
};

struct DistinguishedName {
  std::string common_name;
  api::X509Subject subject;
  bool operator==(const DistinguishedName&) const = default;
};

// In Go's order (C, ST, L, STREET, postalCode, O, OU, CN, serialNumber), each
// attribute's values in one RDN, PrintableString where the text allows it.
Result<NamePtr> build_name(const DistinguishedName& dn);
DistinguishedName read_name(const X509_NAME* name);

// spec.literalSubject: an RFC 4514 string ("CN=app,O=Example\, Inc.,C=DE"),
// encoded exactly as written — its last RDN first, as RFC 4514 orders them;
// '+' joins the attributes of one RDN. Types are short names (CN, O, OU, C, L,
// ST, STREET, SERIALNUMBER, DC, UID, ...) or dotted OIDs; hex-encoded (#)
// values are not supported. Errors name the offending part.
Result<NamePtr> parse_literal_subject(std::string_view text);
// RFC 2253 text ("CN=root,O=example"), for messages and comparisons.
std::string name_text(const X509_NAME* name);

// A new name of `type` (GEN_DNS, GEN_EMAIL, GEN_URI: IA5String; GEN_IPADD:
// the raw address bytes, or a name constraint's address and mask), owned by
// the caller; nullptr (with OpenSSL's error queue set) on failure.
GENERAL_NAME* new_general_name(int type, std::string_view value);

// DNS, email, IP, URI, then otherNames, as cert-manager appends them. An IP
// address or an OID that does not parse is an error naming it.
Result<GeneralNamesPtr> build_general_names(const SubjectAltNames& sans);
SubjectAltNames read_general_names(const GENERAL_NAMES* names);

// "10.0.0.1" / "2001:db8::1" from 4 or 16 raw bytes (IPv4-mapped IPv6 prints
// as IPv4, as Go's net.IP.String does); empty for any other length.
std::string format_ip(std::string_view raw);
// 4 or 16 raw bytes, or an error naming the text.
Result<std::string> parse_ip(std::string_view text);
// "10.0.0.0/8", "2001:db8::/32": the address's raw bytes followed by the
// mask's (8 or 32 bytes, as a name constraint's iPAddress holds them), or an
// error naming the text.
Result<std::string> parse_ip_range(std::string_view cidr);

}  // namespace certmill::pki
