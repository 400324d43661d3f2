// The Public Suffix List, as Let's Encrypt uses it to find the registered
// domain its certificates-per-registered-domain limit counts under: the
// publicsuffix.org algorithm over both the ICANN and the PRIVATE sections,
// with the default rule "*". Debian's package `publicsuffix` installs the list
// (`tools/install-deps` installs it).
//
// Identifiers reach a CA in A-label (punycode) form, while the list writes
// internationalised rules in Unicode ("公司.cn"). The list is read once, so
// each Unicode label is converted to its A-label ("xn--55qx5d") when parsing,
// by the RFC 3492 encoder below, and lookups stay plain ASCII. The list's
// Unicode rules are already lower case and in NFC, as the list requires, so no
// IDNA mapping (case folding, normalisation) is applied to them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.hpp"

namespace certmill::ratelimits {

// RFC 3492's Punycode of a sequence of code points: the basic (ASCII) ones as
// they are, a '-' when there were any, then the encoded rest. Case is kept.
// Nothing when a code point is not Unicode or the encoding would overflow.
std::optional<std::string> punycode_encode(std::u32string_view code_points);

// One label or a dotted name in UTF-8 as A-labels: ASCII labels lower-cased,
// the others "xn--" + punycode of their code points. Nothing for text that is
// not UTF-8 or cannot be encoded.
std::optional<std::string> to_a_labels(std::string_view utf8_name);

class PublicSuffixList {
 public:
  static constexpr const char* kDebianPath = "/usr/share/publicsuffix/public_suffix_list.dat";

  // The .dat format: one rule a line ("co.uk", the wildcard "*.ck", the
  // exception "!www.ck"), "//" comments and blank lines skipped, only the text
  // before the first white space read. Both sections are used. A rule that is
  // not UTF-8 is skipped; parsing never fails.
  static PublicSuffixList parse(std::string_view text);
  // The file at `path`; the error names it and the Debian package that
  // provides the default one.
  static Result<PublicSuffixList> load(const std::string& path = kDebianPath);

  std::size_t rules() const { return rules_; }

  // Let's Encrypt's registered domain of an identifier (type "dns" or "ip"):
  // a DNS name lower-cased, its trailing dot and a leading "*." removed, then
  // its eTLD+1; a name that is itself a public suffix is its own registered
  // domain. An IPv4 address is itself; an IPv6 address is its /64, written
  // as the compressed network address and "/64" ("2001:db8::/64"), as Let's
  // Encrypt counts IPv6 per /64. Any other type: the value lower-cased.
  std::string registered_domain(std::string_view type, std::string_view value) const;

  // The public suffix of a lower-case DNS name without trailing dot (the
  // suffix of `name` the prevailing rule matches).
  std::string_view public_suffix(std::string_view name) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;

  void add(std::string_view rule);

  Set normal_;      // "co.uk"
  Set wildcards_;   // "ck" for "*.ck"
  Set exceptions_;  // "www.ck" for "!www.ck"
  std::size_t rules_ = 0;
};

}  // namespace certmill::ratelimits
