// An http(s) URL split into what a client needs to connect and ask: the
// scheme, the host and port to connect to, and the request target. Kubeconfig
// servers, ACME directories and every URL a CA sends back go through here.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill {

struct HttpUrl {
  bool tls = true;
  std::string host;    // without brackets
  std::string port;    // always set: the scheme's when the URL has none
  std::string target;  // path and query, at least "/"

  // Where connections go, and what keep-alive pools are keyed by.
  std::string origin() const;
  // The Host header: the port only when it is not the scheme's, as browsers
  // and Go send it; servers build the URLs they answer with from it.
  std::string authority() const;
};

// Refuses other schemes, a missing host, an unclosed "[" and a bad port; the
// message quotes the URL.
Result<HttpUrl> parse_http_url(std::string_view text);

// Percent-encodes everything outside RFC 3986's unreserved set (upper-case
// hex, as AWS's signatures require), for paths and query values.
std::string url_escape(std::string_view text);

}  // namespace certmill
