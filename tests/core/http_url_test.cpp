// parse_http_url: the URLs kubeconfigs and CAs give, and the ones refused.
#include "core/http_url.hpp"

#include <catch2/catch.hpp>

using certmill::parse_http_url;

TEST_CASE("an http(s) URL splits into scheme, host, port and target") {
  struct Case {
    const char* text;
    bool tls;
    const char* host;
    const char* port;
    const char* target;
    const char* origin;
    const char* authority;
  };
  for (const Case& c : {
           Case{"https://acme-v02.api.letsencrypt.org/directory", true,
                "acme-v02.api.letsencrypt.org", "443", "/directory",
                "https://acme-v02.api.letsencrypt.org:443", "acme-v02.api.letsencrypt.org"},
           Case{"http://127.0.0.1:8080", false, "127.0.0.1", "8080", "/", "http://127.0.0.1:8080",
                "127.0.0.1:8080"},
           Case{"https://[::1]:6443/k8s/clusters/c-1", true, "::1", "6443", "/k8s/clusters/c-1",
                "https://[::1]:6443", "[::1]:6443"},
           Case{"https://[fd00::1]/", true, "fd00::1", "443", "/", "https://[fd00::1]:443",
                "[fd00::1]"},
           Case{"https://ca.test?x=1", true, "ca.test", "443", "/?x=1", "https://ca.test:443",
                "ca.test"},
           Case{"https://ca.test:443/a#frag", true, "ca.test", "443", "/a", "https://ca.test:443",
                "ca.test"},
           Case{"http://ca.test:80/", false, "ca.test", "80", "/", "http://ca.test:80", "ca.test"},
       }) {
    INFO(c.text);
    const auto url = parse_http_url(c.text);
    REQUIRE(url);
    CHECK(url->tls == c.tls);
    CHECK(url->host == c.host);
    CHECK(url->port == c.port);
    CHECK(url->target == c.target);
    CHECK(url->origin() == c.origin);
    CHECK(url->authority() == c.authority);
  }
}

TEST_CASE("a URL that cannot be asked is refused, saying why") {
  struct Case {
    const char* text;
    const char* why;
  };
  for (const Case& c : {
           Case{"ftp://ca.test/", "is not an http(s) URL"},
           Case{"ca.test:443", "is not an http(s) URL"},
           Case{"", "is not an http(s) URL"},
           Case{"https://", "has no host"},
           Case{"https:///directory", "has no host"},
           Case{"https://:443/", "has no host"},
           Case{"https://[::1/", "has an unclosed ["},
           Case{"https://[::1]x/", "has text after its ]"},
           Case{"https://::1/", "has an IPv6 host without brackets"},
           Case{"https://ca.test:0/", "has a bad port"},
           Case{"https://ca.test:65536/", "has a bad port"},
           Case{"https://ca.test:https/", "has a bad port"},
           Case{"https://user:pw@ca.test/", "carries user information"},
       }) {
    INFO(c.text);
    const auto url = parse_http_url(c.text);
    REQUIRE_FALSE(url);
    CHECK_THAT(url.error().message(), Catch::Contains(c.why));
    CHECK_THAT(url.error().message(), Catch::Contains(std::string("\"") + c.text + "\""));
  }
}
