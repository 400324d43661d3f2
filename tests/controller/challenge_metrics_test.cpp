// certmanager_certificate_challenge_status as cert-manager's collector
// writes it, and the ACME client's request series, in a scrape of Metrics:
// one set of series per Challenge, replaced when its reason changes and
// removed with it or its Certificate.
#include "controller/challenge_metrics.hpp"

#include <catch2/catch.hpp>

#include "controller/acme_request_metrics.hpp"
#include "controller/metrics.hpp"
#include "tests/controller/fixtures.hpp"
#include "tests/controller/scrape_text.hpp"

using namespace certmill;
using namespace certmill::controller;
using certmill::test::has_line;

namespace {

std::string expose(Metrics& metrics) {
  return test::expose(metrics, test::t0);
}

// Lines of the scrape that start with `prefix`.
std::size_t count_lines(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  for (std::size_t at = text.find("\n" + prefix); at != std::string::npos;
       at = text.find("\n" + prefix, at + 1))
    ++n;
  return n;
}

api::Challenge waiting_challenge() {
  api::Challenge challenge;
  challenge.metadata.namespace_ = "shop";
  challenge.metadata.name = "web-tls-1-2-3";
  challenge.spec.dns_name = "web.example.com";
  challenge.spec.type = api::AcmeChallengeType::HTTP01;
  challenge.status.processing = true;
  challenge.status.presented = true;
  challenge.status.state = api::AcmeState::Pending;
  return challenge;
}

std::string series(const std::string& status, const std::string& reason,
                   const std::string& processing = "true") {
  return "certmanager_certificate_challenge_status{domain=\"web.example.com\",name=\"web-tls-1-2-"
         "3\",namespace=\"shop\",processing=\"" +
         processing + "\",reason=\"" + reason + "\",status=\"" + status + "\",type=\"HTTP-01\"}";
}

const std::string kOf = "certmanager_certificate_challenge_status{";

}  // namespace

TEST_CASE("a Challenge has a series per cert-manager state, 1 for its own") {
  Metrics metrics;
  metrics.observe(waiting_challenge(), "shop/web", "web-tls-1-2");
  const std::string text = expose(metrics);
  INFO(text);
  CHECK(has_line(text, "# TYPE certmanager_certificate_challenge_status gauge"));
  CHECK(has_line(text, series("pending", "") + " 1"));
  for (const char* other : {"ready", "valid", "errored", "expired", "invalid", "processing", ""})
    CHECK(has_line(text, series(other, "") + " 0"));
  CHECK(count_lines(text, kOf) == 8);
  CHECK(metrics.challenges() == 1);
}

TEST_CASE("a changed reason replaces a Challenge's series, and solving it removes them") {
  Metrics metrics;
  api::Challenge challenge = waiting_challenge();
  metrics.observe(challenge, "shop/web", "web-tls-1-2");
  challenge.status.reason = "Waiting for HTTP-01 challenge propagation: 404";
  metrics.observe(challenge, "shop/web", "web-tls-1-2");
  std::string text = expose(metrics);
  INFO(text);
  CHECK(has_line(text, series("pending", "Waiting for HTTP-01 challenge propagation: 404") + " 1"));
  CHECK(text.find(series("pending", "")) == std::string::npos);
  CHECK(count_lines(text, kOf) == 8);

  challenge.status.processing = false;
  challenge.status.state = api::AcmeState::Invalid;
  challenge.status.reason = "bad";
  metrics.observe(challenge, "shop/web", "web-tls-1-2");
  text = expose(metrics);
  CHECK(has_line(text, series("invalid", "bad", "false") + " 1"));
  CHECK(has_line(text, series("pending", "bad", "false") + " 0"));
  CHECK(count_lines(text, kOf) == 8);

  metrics.forget_challenge("shop/web", "shop", "web-tls-1-2-3");
  text = expose(metrics);
  CHECK(count_lines(text, kOf) == 0);
  CHECK(metrics.challenges() == 0);
}

TEST_CASE("a failed Challenge's series stay until its Certificate orders again or goes") {
  Metrics metrics;
  api::Challenge failed = waiting_challenge();
  failed.status.state = api::AcmeState::Errored;
  metrics.observe(failed, "shop/web", "web-tls-1-2");
  api::Challenge other = waiting_challenge();
  other.metadata.name = "api-tls-1-2-3";
  metrics.observe(other, "shop/api", "api-tls-1-2");
  CHECK(count_lines(expose(metrics), kOf) == 16);

  // The next order of shop/web: its earlier Challenge's series go.
  api::Challenge next = waiting_challenge();
  next.metadata.name = "web-tls-2-9-9";
  metrics.observe(next, "shop/web", "web-tls-2-9");
  std::string text = expose(metrics);
  INFO(text);
  CHECK(count_lines(text, kOf) == 16);
  CHECK(text.find("name=\"web-tls-1-2-3\"") == std::string::npos);
  CHECK(text.find("name=\"web-tls-2-9-9\"") != std::string::npos);

  // The Certificate goes: so do its Challenges' series, and no one else's.
  metrics.forget_certificate("shop/web");
  text = expose(metrics);
  CHECK(count_lines(text, kOf) == 8);
  CHECK(text.find("name=\"api-tls-1-2-3\"") != std::string::npos);
}

TEST_CASE("a Challenge's reason label is printable and at most 256 bytes, as cert-manager's") {
  CHECK(challenge_reason_label("") == "");
  CHECK(challenge_reason_label("line one\nline\ttwo\x7f") == "line one line two ");
  CHECK(challenge_reason_label("C1 \xc2\x85 stays one space") == "C1   stays one space");
  CHECK(challenge_reason_label("\xff") == "\xef\xbf\xbd");  // invalid UTF-8 reads as U+FFFD
  const std::string html = "<html>" + std::string(400, 'x');
  CHECK(challenge_reason_label(html) == html.substr(0, 256));
  // 255 bytes, then a character of two: cut before it, not inside.
  CHECK(challenge_reason_label(std::string(255, 'a') + "\xc3\xa9") == std::string(255, 'a'));
  CHECK(challenge_status_label(std::nullopt) == "");
  CHECK(challenge_status_label(api::AcmeState::Expired) == "expired");
}

TEST_CASE("ACME requests are counted and timed under cert-manager's names and labels") {
  Metrics metrics;
  AcmeRequestMetrics requests(metrics);
  const auto labels = [](const char* path, const char* method, const char* status) {
    return issuers::acme::RequestLabels{"https", "127.0.0.1:14000", path, method, status};
  };
  requests.observe(labels("/order-plz", "POST", "201"), 0.25);
  requests.observe(labels("/order-plz", "POST", "201"), 0.75);
  requests.observe(labels("/dir", "GET", "999"), 30);
  const std::string text = expose(metrics);
  INFO(text);
  const std::string order =
      "host=\"127.0.0.1:14000\",method=\"POST\",path=\"/"
      "order-plz\",scheme=\"https\",status=\"201\"";
  CHECK(has_line(text, "# TYPE certmanager_http_acme_client_request_count counter"));
  CHECK(has_line(text, "certmanager_http_acme_client_request_count{" + order + "} 2"));
  CHECK(has_line(text, "# TYPE certmanager_http_acme_client_request_duration_seconds summary"));
  CHECK(has_line(text,
                 "certmanager_http_acme_client_request_duration_seconds_count{" + order + "} 2"));
  CHECK(
      has_line(text, "certmanager_http_acme_client_request_duration_seconds_sum{" + order + "} 1"));
  for (const char* q : {"0.5", "0.9", "0.99"}) {
    CHECK(text.find("certmanager_http_acme_client_request_duration_seconds{" + order +
                    ",quantile=\"" + q + "\"} ") != std::string::npos);
  }
  CHECK(has_line(text,
                 "certmanager_http_acme_client_request_count{host=\"127.0.0.1:14000\",method="
                 "\"GET\",path=\"/dir\",scheme=\"https\",status=\"999\"} 1"));
}
