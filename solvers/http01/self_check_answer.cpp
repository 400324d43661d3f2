// The verdict on one answer and the redirect rules; tested exhaustively in
// tests/solvers/self_check_answer_test.cpp.
#include "solvers/http01/self_check_answer.hpp"

#include <algorithm>
#include <cctype>

#include "core/port.hpp"

namespace certmill::solvers {
namespace {

constexpr std::size_t kQuoted = 64;  // characters of a body an error quotes

// At most kQuoted characters of `body`, anything outside printable ASCII as
// "\xNN", so a hostile answer cannot put control characters in a condition.
std::string quoted(std::string_view body) {
  std::string out = "\"";
  for (std::size_t i = 0; i < body.size() && i < kQuoted; ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += '"';
  if (body.size() > kQuoted)
    out += " (truncated)";
  return out;
}

std::string_view without_trailing_space(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool is_redirect(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::string authority(const HttpTarget& target) {
  const bool v6 = target.host.find(':') != std::string::npos;
  return (v6 ? "[" + target.host + "]" : target.host) +
         (target.port == 80 ? "" : ":" + std::to_string(target.port));
}

std::string describe(const HttpTarget& target) {
  return "http://" + authority(target) + target.path;
}

Result<HttpTarget> redirect_target(const HttpTarget& from, std::string_view location) {
  const auto refused = [&](std::string_view why) {
    return Error(Errc::invalid_value,
                 describe(from) + " redirects to " + quoted(location) + ", " + std::string(why));
  };
  if (location.empty())
    return refused("an empty Location");
  if (location.front() == '/' && !location.starts_with("//")) {
    HttpTarget next = from;
    next.path = std::string(location);
    return next;
  }
  constexpr std::string_view kHttp = "http://";
  if (location.size() < kHttp.size() ||
      !std::equal(kHttp.begin(), kHttp.end(), location.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    if (location.starts_with("https://") || location.starts_with("HTTPS://"))
      return refused(
          "which the self-check does not follow: let /.well-known/acme-challenge/ through over "
          "plain HTTP (for ingress-nginx, ssl-redirect \"false\" on the solver's path)");
    return refused("which is not an http:// URL or an absolute path");
  }
  std::string_view rest = location.substr(kHttp.size());
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpTarget next;
  next.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos)
    return refused("with credentials in the URL");
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return refused("with \"[\" and no \"]\"");
    next.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':')
        return refused("with something after \"]\" that is not a port");
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.find(':');
    next.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos)
      port = authority.substr(colon + 1);
  }
  if (next.host.empty())
    return refused("with no host");
  for (char c : next.host) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_';
    if (!ok)
      return refused("whose host is not a name or an address");
  }
  if (!port.empty()) {
    const auto number = parse_port(port);
    if (!number)
      return refused("whose port is not 1 to 65535");
    next.port = *number;
  }
  return next;
}

AnswerVerdict judge_answer(const HttpTarget& asked, unsigned status, std::string_view location,
                           std::string_view body, std::string_view key_authorization) {
  if (is_redirect(status)) {
    auto next = redirect_target(asked, location);
    if (!next)
      return {next.error(), std::nullopt};
    return {Status{}, std::move(*next)};
  }
  if (status != 200) {
    return {Error(Errc::invalid_value, "wrong status code '" + std::to_string(status) +
                                           "', expected '200' from " + describe(asked)),
            std::nullopt};
  }
  if (without_trailing_space(body) != key_authorization) {
    return {
        Error(Errc::invalid_value,
              "did not get expected response when querying endpoint " + describe(asked) +
                  ", expected \"" + std::string(key_authorization) + "\" but got: " + quoted(body)),
        std::nullopt};
  }
  return {Status{}, std::nullopt};
}

}  // namespace certmill::solvers
