// The labels of the ACME client's request metrics: cert-manager's
// pathProcessor (the path up to its third "/") and the URL split as Go's
// url.URL splits it, "999" for a request that got no answer.
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "issuers/acme/request_observer.hpp"

using certmill::issuers::acme::request_labels;
using certmill::issuers::acme::RequestLabels;
using certmill::issuers::acme::trim_path;

TEST_CASE("a request path keeps its first two segments, as cert-manager's pathProcessor") {
  CHECK(trim_path("/acme/new-order/abc") == "/acme/new-order");
  CHECK(trim_path("/acme/authz-v3/123/456") == "/acme/authz-v3");
  CHECK(trim_path("/acme/new-order") == "/acme/new-order");
  CHECK(trim_path("/dir") == "/dir");
  CHECK(trim_path("/my-order/abc") == "/my-order/abc");  // a short name is not an ID
  // An ID within the first two segments goes too (cert-manager keeps it).
  CHECK(trim_path("/authZ/4fKw3Ft55aWVd7rogLNMirbvoAHg9OdlWZVzGkfumWA") == "/authZ");
  CHECK(trim_path("/my-order/-JKN-wFoQUQHVGReyZKjvsQN6KGyruKdSYaMmIqX5NE") == "/my-order");
  CHECK(trim_path("/certZ/1234567890123456") == "/certZ");
  // Pebble's account IDs are 16 hex digits, or fewer when they start with 0.
  CHECK(trim_path("/my-account/d97964a53dddaa7") == "/my-account");
  CHECK(trim_path("/my-account/7964a53dddaa") == "/my-account");
  CHECK(trim_path("/acme/renewalInfoNoDigits") == "/acme/renewalInfoNoDigits");
  // An RFC 9773 certificate ID (AKI and serial, base64url, joined by a dot)
  // one segment deep, as acme-front's renewalInfo: digits or not, it goes.
  CHECK(trim_path("/renewal-info/ceg3nqralyFNwV7rCsxrLrGTOMM.UEMepGTUOZs") == "/renewal-info");
  CHECK(trim_path("/renewalInfo/abcDEFghiJKL.mnoPQR") == "/renewalInfo");
  CHECK(trim_path("/renewalInfo/a.b") == "/renewalInfo/a.b");  // too short for an ID
  CHECK(trim_path("/renewalInfo/abcdefgh.ijk.lmn") == "/renewalInfo/abcdefgh.ijk.lmn");
  CHECK(trim_path("/renewalInfo/abcdefghijk.") == "/renewalInfo/abcdefghijk.");
  CHECK(trim_path("/a/b/") == "/a/b");
  CHECK(trim_path("/a/") == "/a/");
  CHECK(trim_path("/") == "/");
  CHECK(trim_path("") == "");
  CHECK(trim_path("a/b/c/d") == "a/b/c");  // strings.Split counts from the start
}

TEST_CASE("renewalInfo asked for a thousand certificates is one label set, not a thousand") {
  std::set<std::string> paths;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "ceg3nqralyFNwV7rCsxrLrGTOMM.AIdlQyE" + std::to_string(i);
    paths.insert(request_labels("GET", "https://127.0.0.1:14000/renewal-info/" + id, 200).path);
  }
  CHECK(paths == std::set<std::string>{"/renewal-info"});
  // Short names are not IDs: the same count sees a thousand of them.
  std::set<std::string> names;
  for (int i = 0; i < 1000; ++i)
    names.insert(
        request_labels("GET", "https://127.0.0.1:14000/renewal-info/n" + std::to_string(i), 200)
            .path);
  CHECK(names.size() == 1000);
}

TEST_CASE("a request's labels: scheme, host with its port, trimmed path, method and status") {
  CHECK(request_labels("POST", "https://127.0.0.1:14000/order-plz", 201) ==
        RequestLabels{"https", "127.0.0.1:14000", "/order-plz", "POST", "201"});
  CHECK(request_labels("POST", "https://acme-v02.api.letsencrypt.org/acme/new-order", 201) ==
        RequestLabels{"https", "acme-v02.api.letsencrypt.org", "/acme/new-order", "POST", "201"});
  CHECK(request_labels("POST", "https://ca.example/acme/order/12/345?x=/y/z#f", 200) ==
        RequestLabels{"https", "ca.example", "/acme/order", "POST", "200"});
  CHECK(request_labels("HEAD", "HTTPS://user:pw@[::1]:8443/nonce", 200) ==
        RequestLabels{"https", "[::1]:8443", "/nonce", "HEAD", "200"});
  CHECK(request_labels("GET", "https://ca.example", 404) ==
        RequestLabels{"https", "ca.example", "", "GET", "404"});
  // No answer at all: cert-manager's 999.
  CHECK(request_labels("GET", "http://127.0.0.1:1/dir", 0).status == "999");
}
