// SigV4 as AWS documents it ("Create a signed AWS API request"), checked
// against AWS's published test suite (tests/solvers/route53_sigv4_test.cpp).
#include "solvers/dns/route53/sigv4.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/http_url.hpp"
#include "core/time.hpp"

namespace certmill::solvers::route53 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i)
    out += {kDigits[data[i] >> 4], kDigits[data[i] & 15]};
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// RFC 9110's token characters: what a header name may be made of.
bool is_token(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Leading and trailing blanks trimmed, inner runs of spaces made one.
Result<std::string> canonical_value(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F)
      return Error(Errc::invalid_argument, "a header value holds a control character");
    const bool blank = c == ' ' || c == '\t';
    if (!blank)
      out += c;
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

// RFC 3986 §5.2.4 on the segments, empty ones dropped too, then each
// segment encoded again.
std::string canonical_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::string_view last;
  for (std::size_t start = 0;;) {
    const std::size_t slash = path.find('/', start);
    last = path.substr(start, slash - start);
    if (last == ".." && !segments.empty())
      segments.pop_back();
    else if (!last.empty() && last != "." && last != "..")
      segments.push_back(last);
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  std::string out;
  for (const std::string_view segment : segments)
    out += "/" + url_escape(segment);
  // A path that ended in a directory ("/a/", "/a/.", "/a/b/..") keeps it.
  if (out.empty() || last.empty() || last == "." || last == "..")
    out += "/";
  return out;
}

// "20150830T123600Z": RFC 3339 without its separators.
std::string amz_date(std::chrono::system_clock::time_point now) {
  std::string out = format_time(std::chrono::floor<std::chrono::seconds>(now));
  std::erase_if(out, [](char c) { return c == '-' || c == ':'; });
  return out;
}

}  // namespace

std::string canonical_query(const std::vector<QueryParam>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const QueryParam& p : query)
    encoded.emplace_back(url_escape(p.name), url_escape(p.value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded)
    out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return hex(digest, size);
}

Result<Signature> sign_v4(const SigningRequest& request, const Credentials& credentials,
                          std::string_view region, std::string_view service,
                          std::chrono::system_clock::time_point now) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty())
    return Error(Errc::invalid_argument, "SigV4: the access key ID and secret key are required");
  if (region.empty() || service.empty())
    return Error(Errc::invalid_argument, "SigV4: the region and service are required");

  const std::string date_time = amz_date(now);
  const std::string date = date_time.substr(0, 8);
  const std::string scope =
      date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";

  std::vector<Header> added = {{"X-Amz-Date", date_time}};
  if (!credentials.session_token.empty())
    added.push_back({"X-Amz-Security-Token", credentials.session_token});

  // Lowercased names, their place in the request, canonical values: sorting
  // by name then place keeps duplicates in the order given, which is the
  // order their values are joined in.
  std::vector<std::tuple<std::string, std::size_t, std::string>> headers;
  bool has_host = false;
  for (const Header& h : request.headers) {
    if (!is_token(h.name))
      return Error(Errc::invalid_argument, "SigV4: '" + h.name + "' is not a header name");
    std::string name = lowercase(h.name);
    if (name == "x-amz-date" || name == "x-amz-security-token" || name == "authorization")
      return Error(Errc::invalid_argument, "SigV4: the signer adds the " + h.name + " header");
    auto value = canonical_value(h.value);
    if (!value)
      return Error(Errc::invalid_argument, "SigV4: " + h.name + ": " + value.error().message());
    has_host = has_host || name == "host";
    headers.emplace_back(std::move(name), headers.size(), std::move(*value));
  }
  if (!has_host)
    return Error(Errc::invalid_argument, "SigV4: the Host header must be signed");
  for (const Header& h : added) {
    auto value = canonical_value(h.value);  // the token comes from outside too
    if (!value)
      return Error(Errc::invalid_argument, "SigV4: the session token holds a control character");
    headers.emplace_back(lowercase(h.name), headers.size(), std::move(*value));
  }
  std::sort(headers.begin(), headers.end());

  std::string canonical_headers, signed_headers;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, place, value] = headers[i];
    if (i > 0 && name == std::get<0>(headers[i - 1])) {
      canonical_headers.back() = ',';  // the previous value's '\n'
    } else {
      canonical_headers += name + ":";
      signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }
    canonical_headers += value + "\n";
  }

  Signature out;
  out.canonical_request = std::string(request.method) + "\n" + canonical_path(request.path) + "\n" +
                          canonical_query(request.query) + "\n" + canonical_headers + "\n" +
                          signed_headers + "\n" + sha256_hex(request.payload);
  out.string_to_sign = std::string(kAlgorithm) + "\n" + date_time + "\n" + scope + "\n" +
                       sha256_hex(out.canonical_request);

  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  for (const std::string_view part : {region, service, std::string_view("aws4_request")})
    key = hmac_sha256(key, part);
  const std::string mac = hmac_sha256(key, out.string_to_sign);
  out.signature = hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());

  out.headers = std::move(added);
  out.headers.push_back({"Authorization", std::string(kAlgorithm) +
                                              " Credential=" + credentials.access_key_id + "/" +
                                              scope + ", SignedHeaders=" + signed_headers +
                                              ", Signature=" + out.signature});
  return out;
}

}  // namespace certmill::solvers::route53
