// The authority is split at the last colon outside brackets, so an IPv6
// address must be bracketed, as RFC 3986 §3.2.2 asks.
#include "core/http_url.hpp"

#include "core/port.hpp"

namespace certmill {

std::string HttpUrl::origin() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host) + ":" + port;
}

std::string HttpUrl::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  const bool default_port = port == (tls ? "443" : "80");
  return (ipv6 ? "[" + host + "]" : host) + (default_port ? "" : ":" + port);
}

Result<HttpUrl> parse_http_url(std::string_view text) {
  const auto refuse = [&](std::string_view why) {
    return Error(Errc::invalid_argument, "URL \"" + std::string(text) + "\" " + std::string(why));
  };
  HttpUrl url;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    url.tls = false;
    rest.remove_prefix(7);
  } else {
    return refuse("is not an http(s) URL");
  }
  const auto slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? "/" : rest.substr(slash);
  // A fragment never goes to the server.
  target = target.substr(0, target.find('#'));
  url.target = target.starts_with('/') ? std::string(target) : "/" + std::string(target);
  if (authority.find('@') != std::string_view::npos)
    return refuse("carries user information, which certmill never sends");
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return refuse("has an unclosed [");
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      return refuse("has text after its ]");
    if (after.starts_with(':'))
      port = after.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (url.host.find(':') != std::string::npos)
      return refuse("has an IPv6 host without brackets");
    if (colon != std::string_view::npos)
      port = authority.substr(colon + 1);
  }
  if (url.host.empty())
    return refuse("has no host");
  if (!port.empty() && !parse_port(port))
    return refuse("has a bad port");
  url.port = port.empty() ? (url.tls ? "443" : "80") : std::string(port);
  return url;
}

std::string url_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[(static_cast<unsigned char>(c) >> 4) & 0xF]);
      out.push_back(kHex[static_cast<unsigned char>(c) & 0xF]);
    }
  }
  return out;
}

}  // namespace certmill
