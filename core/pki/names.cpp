// Names through OpenSSL's X509_NAME and GENERAL_NAME types.
#include "core/pki/names.hpp"

#include <array>
#include <charconv>
#include <cstdio>

#include <openssl/obj_mac.h>

namespace certmill::pki {

GENERAL_NAME* new_general_name(int type, std::string_view value) {
  GENERAL_NAME* gn = GENERAL_NAME_new();
  ASN1_STRING* s = type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
  if (gn == nullptr || s == nullptr ||
      ASN1_STRING_set(s, value.data(), static_cast<int>(value.size())) != 1) {
    GENERAL_NAME_free(gn);
    ASN1_STRING_free(s);
    return nullptr;
  }
  GENERAL_NAME_set0_value(gn, type, s);
  return gn;
}

namespace {

// Go marshals a string as PrintableString when every byte allows it.
bool printable(std::string_view s) {
  for (unsigned char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view(" '()+,-./:=?*").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok)
      return false;
  }
  return true;
}

Status add_rdn(X509_NAME* name, int nid, const std::vector<std::string>& values) {
  int set = 0;  // the first value opens a new RDN, the others join it
  for (const std::string& v : values) {
    const int type = printable(v) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;
    if (X509_NAME_add_entry_by_NID(name, nid, type,
                                   reinterpret_cast<const unsigned char*>(v.data()),
                                   static_cast<int>(v.size()), -1, set) != 1)
      return ossl_error(Errc::invalid_value,
                        std::string("subject ") + OBJ_nid2sn(nid) + " \"" + v + "\" is not valid");
    set = -1;
  }
  return {};
}

std::vector<std::string> values_of(const X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len >= 0) {
      out.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
      OPENSSL_free(utf8);
    }
  }
  return out;
}

std::string first(std::vector<std::string> v) {
  return v.empty() ? std::string() : v.front();
}

std::string asn1_text(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

Status push_name(GENERAL_NAMES* names, int type, std::string_view value, const char* what) {
  GENERAL_NAME* gn = new_general_name(type, value);
  if (gn == nullptr)
    return ossl_error(Errc::invalid_value, std::string("cannot encode ") + what);
  sk_GENERAL_NAME_push(names, gn);
  return {};
}

struct Attribute {
  std::string type;
  std::string value;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Splits an RFC 4514 string into RDNs of attributes, undoing the escapes.
Result<std::vector<std::vector<Attribute>>> split_rdns(std::string_view text) {
  std::vector<std::vector<Attribute>> rdns(1);
  Attribute current;
  bool in_value = false;
  std::size_t significant = 0;  // value length up to its last unescaped non-space
  const auto finish = [&](std::size_t at) -> Status {
    // Unescaped spaces around the value are not part of it (RFC 4514 §3).
    const auto first = current.type.find_first_not_of(' ');
    const auto last = current.type.find_last_not_of(' ');
    current.type = first == std::string::npos ? "" : current.type.substr(first, last - first + 1);
    if (!in_value || current.type.empty())
      return Error(
          Errc::invalid_value,
          "spec.literalSubject: expected TYPE=value before position " + std::to_string(at));
    current.value.resize(significant);
    rdns.back().push_back(std::move(current));
    current = {};
    in_value = false;
    significant = 0;
    return {};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_value) {
      if (c == '=')
        in_value = true;
      else
        current.type += c;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= text.size())
        return Error(Errc::invalid_value, "spec.literalSubject: a trailing backslash");
      const int hi = hex_digit(text[i + 1]);
      const int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        current.value += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        current.value += text[++i];
      }
      significant = current.value.size();
      continue;
    }
    if (c == '#' && current.value.empty())
      return Error(Errc::invalid_value,
                   "spec.literalSubject: hex-encoded values (#...) are not supported");
    if (c == ',' || c == '+') {
      if (Status st = finish(i); !st)
        return st.error();
      if (c == ',')
        rdns.emplace_back();
      continue;
    }
    if (c == ' ' && current.value.empty())
      continue;
    current.value += c;
    if (c != ' ')
      significant = current.value.size();
  }
  if (Status st = finish(text.size()); !st)
    return st.error();
  return rdns;
}

// RFC 4514 and Go's names are case-insensitive; OpenSSL's short names are not.
int attribute_nid(const std::string& type) {
  std::string upper;
  for (char c : type)
    upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  static const std::pair<std::string_view, int> names[] = {
      {"CN", NID_commonName},
      {"C", NID_countryName},
      {"O", NID_organizationName},
      {"OU", NID_organizationalUnitName},
      {"L", NID_localityName},
      {"ST", NID_stateOrProvinceName},
      {"STREET", NID_streetAddress},
      {"POSTALCODE", NID_postalCode},
      {"SERIALNUMBER", NID_serialNumber},
      {"DC", NID_domainComponent},
      {"UID", NID_userId},
      {"EMAILADDRESS", NID_pkcs9_emailAddress},
  };
  for (const auto& [name, nid] : names)
    if (name == upper)
      return nid;
  const int nid = OBJ_txt2nid(type.c_str());
  ossl_clear_errors();
  return nid;
}

}  // namespace

Result<NamePtr> parse_literal_subject(std::string_view text) {
  auto rdns = split_rdns(text);
  if (!rdns)
    return rdns.error();
  NamePtr name(X509_NAME_new());
  for (auto rdn = rdns->rbegin(); rdn != rdns->rend(); ++rdn) {
    int set = 0;
    for (const Attribute& a : *rdn) {
      const int nid = attribute_nid(a.type);
      if (nid == NID_undef)
        return Error(Errc::invalid_value,
                     "spec.literalSubject: unknown attribute type \"" + a.type + "\"");
      const int type = printable(a.value) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;
      if (X509_NAME_add_entry_by_NID(name.get(), nid, type,
                                     reinterpret_cast<const unsigned char*>(a.value.data()),
                                     static_cast<int>(a.value.size()), -1, set) != 1)
        return ossl_error(Errc::invalid_value,
                          "spec.literalSubject: " + a.type + " \"" + a.value + "\" is not valid");
      set = -1;
    }
  }
  return name;
}

Result<NamePtr> build_name(const DistinguishedName& dn) {
  NamePtr name(X509_NAME_new());
  const api::X509Subject& s = dn.subject;
  const std::vector<std::string> cn =
      dn.common_name.empty() ? std::vector<std::string>{} : std::vector{dn.common_name};
  const std::vector<std::string> serial =
      s.serial_number.empty() ? std::vector<std::string>{} : std::vector{s.serial_number};
  const std::pair<int, const std::vector<std::string>*> order[] = {
      {NID_countryName, &s.countries},
      {NID_stateOrProvinceName, &s.provinces},
      {NID_localityName, &s.localities},
      {NID_streetAddress, &s.street_addresses},
      {NID_postalCode, &s.postal_codes},
      {NID_organizationName, &s.organizations},
      {NID_organizationalUnitName, &s.organizational_units},
      {NID_commonName, &cn},
      {NID_serialNumber, &serial},
  };
  for (const auto& [nid, values] : order)
    if (Status st = add_rdn(name.get(), nid, *values); !st)
      return st.error();
  return name;
}

DistinguishedName read_name(const X509_NAME* name) {
  DistinguishedName dn;
  dn.common_name = first(values_of(name, NID_commonName));
  dn.subject.countries = values_of(name, NID_countryName);
  dn.subject.provinces = values_of(name, NID_stateOrProvinceName);
  dn.subject.localities = values_of(name, NID_localityName);
  dn.subject.street_addresses = values_of(name, NID_streetAddress);
  dn.subject.postal_codes = values_of(name, NID_postalCode);
  dn.subject.organizations = values_of(name, NID_organizationName);
  dn.subject.organizational_units = values_of(name, NID_organizationalUnitName);
  dn.subject.serial_number = first(values_of(name, NID_serialNumber));
  return dn;
}

std::string name_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return bio_contents(bio.get());
}

Result<GeneralNamesPtr> build_general_names(const SubjectAltNames& sans) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  for (const std::string& d : sans.dns_names)
    if (Status st = push_name(names.get(), GEN_DNS, d, "a DNS name"); !st)
      return st.error();
  for (const std::string& e : sans.email_addresses)
    if (Status st = push_name(names.get(), GEN_EMAIL, e, "an email address"); !st)
      return st.error();
  for (const std::string& ip : sans.ip_addresses) {
    auto raw = parse_ip(ip);
    if (!raw)
      return raw.error();
    if (Status st = push_name(names.get(), GEN_IPADD, *raw, "an IP address"); !st)
      return st.error();
  }
  for (const std::string& u : sans.uris) {
    if (u.find(':') == std::string::npos)
      return Error(Errc::invalid_value, "URI SAN \"" + u + "\" has no scheme");
    if (Status st = push_name(names.get(), GEN_URI, u, "a URI"); !st)
      return st.error();
  }
  for (const api::OtherName& other : sans.other_names) {
    // OBJ_txt2obj with no_name=1 takes only the dotted form, as Go does.
    Asn1ObjectPtr oid(OBJ_txt2obj(other.oid.c_str(), 1));
    if (!oid)
      return Error(Errc::invalid_value, "otherName OID \"" + other.oid + "\" is not a dotted OID");
    ASN1_TYPE* value = ASN1_TYPE_new();
    ASN1_UTF8STRING* text = ASN1_UTF8STRING_new();
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (value == nullptr || text == nullptr || gn == nullptr ||
        ASN1_STRING_set(text, other.utf8_value.data(), static_cast<int>(other.utf8_value.size())) !=
            1) {
      ASN1_TYPE_free(value);
      ASN1_UTF8STRING_free(text);
      GENERAL_NAME_free(gn);
      return ossl_error(Errc::invalid_value, "cannot encode the otherName " + other.oid);
    }
    ASN1_TYPE_set(value, V_ASN1_UTF8STRING, text);
    if (GENERAL_NAME_set0_othername(gn, oid.get(), value) != 1) {
      ASN1_TYPE_free(value);
      GENERAL_NAME_free(gn);
      return ossl_error(Errc::invalid_value, "cannot encode the otherName " + other.oid);
    }
    oid.release();
    sk_GENERAL_NAME_push(names.get(), gn);
  }
  return names;
}

SubjectAltNames read_general_names(const GENERAL_NAMES* names) {
  SubjectAltNames out;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(gn, &type));
    switch (type) {
      case GEN_DNS:
        out.dns_names.push_back(asn1_text(value));
        break;
      case GEN_EMAIL:
        out.email_addresses.push_back(asn1_text(value));
        break;
      case GEN_IPADD:
        out.ip_addresses.push_back(format_ip(asn1_text(value)));
        break;
      case GEN_URI:
        out.uris.push_back(asn1_text(value));
        break;
      case GEN_OTHERNAME: {
        ASN1_OBJECT* oid = nullptr;
        ASN1_TYPE* other = nullptr;
        if (GENERAL_NAME_get0_otherName(gn, &oid, &other) == 1 && other != nullptr &&
            other->type == V_ASN1_UTF8STRING) {
          char dotted[128];
          if (OBJ_obj2txt(dotted, sizeof dotted, oid, 1) > 0)
            out.other_names.push_back({dotted, asn1_text(other->value.utf8string)});
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

std::string format_ip(std::string_view raw) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned>(raw[i]) & 0xffu; };
  const auto v4 = [&](std::size_t at) {
    return std::to_string(byte(at)) + '.' + std::to_string(byte(at + 1)) + '.' +
           std::to_string(byte(at + 2)) + '.' + std::to_string(byte(at + 3));
  };
  if (raw.size() == 4)
    return v4(0);
  if (raw.size() != 16)
    return {};
  if (raw.substr(0, 12) == std::string_view("\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
    return v4(12);
  std::array<unsigned, 8> group{};
  for (std::size_t i = 0; i < 8; ++i)
    group[i] = byte(2 * i) << 8 | byte(2 * i + 1);
  // RFC 5952: the longest run (leftmost on ties) of two or more zero groups is "::".
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && group[static_cast<std::size_t>(j)] == 0)
      ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':')
      out += ':';
    char hex[8];
    std::snprintf(hex, sizeof hex, "%x", group[static_cast<std::size_t>(i)]);
    out += hex;
  }
  return out;
}

Result<std::string> parse_ip(std::string_view text) {
  const std::string s(text);
  OctetPtr raw(a2i_IPADDRESS(s.c_str()));
  if (!raw) {
    ossl_clear_errors();
    return Error(Errc::invalid_value, "\"" + s + "\" is not an IP address");
  }
  return asn1_text(raw.get());
}

Result<std::string> parse_ip_range(std::string_view cidr) {
  const auto bad = [&] {
    return Error(Errc::invalid_value,
                 "\"" + std::string(cidr) + "\" is not an IP range (CIDR, such as 10.0.0.0/8)");
  };
  const auto slash = cidr.find('/');
  if (slash == std::string_view::npos)
    return bad();
  auto address = parse_ip(cidr.substr(0, slash));
  if (!address)
    return bad();
  const std::string_view bits_text = cidr.substr(slash + 1);
  unsigned bits = 0;
  const auto [end, ec] =
      std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
  if (ec != std::errc() || end != bits_text.data() + bits_text.size() || bits_text.empty() ||
      bits > address->size() * 8)
    return bad();
  std::string mask(address->size(), '\0');
  for (unsigned bit = 0; bit < bits; ++bit)
    mask[bit / 8] =
        static_cast<char>(static_cast<unsigned char>(mask[bit / 8]) | (0x80u >> (bit % 8)));
  return *address + mask;
}

}  // namespace certmill::pki
