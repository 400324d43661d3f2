// Request labels as Go's url.URL splits a URL and cert-manager's transport
// labels it.
#include "issuers/acme/request_observer.hpp"

#include <algorithm>
#include <cctype>

namespace certmill::issuers::acme {

namespace {

bool base64url_or_hex(std::string_view part, bool& digit) {
  for (const char c : part) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digit = true;
    else if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return false;
  }
  return !part.empty();
}

// An object's ID rather than a resource's name: 12 characters or more of
// base64url, hex or a number, with a digit among them ("4fKw3Ft55aWV...",
// Pebble's account IDs, hex of a random 64-bit number: 16 digits, fewer when
// it starts with zeros), where names are words ("authz-v3", "new-order",
// "renewalInfo"); or an RFC 9773 certificate ID, two base64url parts joined
// by a dot, digits or not. A renewalInfo URL one segment deep keeps that ID
// after the trim, and a series per certificate (each Summary ~20 KB) was
// most of a 10,000 ACME fleet's memory.
bool looks_like_id(std::string_view segment) {
  if (segment.size() < 12)
    return false;
  bool digit = false;
  if (const auto dot = segment.find('.'); dot != std::string_view::npos)
    return base64url_or_hex(segment.substr(0, dot), digit) &&
           base64url_or_hex(segment.substr(dot + 1), digit);
  return base64url_or_hex(segment, digit) && digit;
}

}  // namespace

std::string trim_path(std::string_view path) {
  // strings.Split on "/" and the first three parts joined again: everything
  // before the third "/".
  std::size_t at = 0;
  for (int slashes = 0; slashes < 3 && at != std::string_view::npos; ++slashes) {
    at = path.find('/', at);
    if (at != std::string_view::npos && slashes < 2)
      ++at;
  }
  std::string_view kept = at == std::string_view::npos ? path : path.substr(0, at);
  // A CA whose URLs have an ID within the first two segments (Pebble's
  // "/authZ/<id>") would make a series per object; the ID goes.
  if (const auto slash = kept.rfind('/');
      slash != std::string_view::npos && slash > 0 && looks_like_id(kept.substr(slash + 1)))
    kept = kept.substr(0, slash);
  return std::string(kept);
}

RequestLabels request_labels(std::string_view method, std::string_view url, unsigned status) {
  RequestLabels labels;
  labels.method = std::string(method);
  labels.status = status == 0 ? "999" : std::to_string(status);
  std::string_view rest = url;
  if (const auto colon = rest.find("://"); colon != std::string_view::npos) {
    labels.scheme = std::string(rest.substr(0, colon));
    std::transform(labels.scheme.begin(), labels.scheme.end(), labels.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    rest.remove_prefix(colon + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    rest.remove_prefix(authority.size());
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
      authority.remove_prefix(at + 1);  // user information is not the host
    labels.host = std::string(authority);
  }
  labels.path = trim_path(rest.substr(0, rest.find_first_of("?#")));
  return labels;
}

}  // namespace certmill::issuers::acme
