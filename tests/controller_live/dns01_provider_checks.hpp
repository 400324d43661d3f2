// The checks every DNS-01 provider's live test makes, on a setup that holds
// the harness `h`, BIND as `named` and dns-api-sim as `sim` (see
// dns01_fixtures.hpp): a Certificate issued with the records gone after; a
// rate-limited API waited out after its Retry-After; a clean-up that fails
// past one call's retries done later; the credentials in no log line, Event
// or status. The Issuer is the test's. Header-only.
#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/controller_live/dns01_fixtures.hpp"
#include "tests/controller_live/secret_scan.hpp"
#include "tests/support/wait.hpp"

namespace certmill::test {

// Certificate `name` for `dns_names` (a JSON list) from the Issuer "dns":
// Ready with a chain in its Secret, and every record removed again.
template <class Setup>
void check_issued_and_cleaned(Setup& s, const std::string& name, const std::string& dns_names,
                              const std::string& record) {
  s.h.apply(dns_certificate_yaml(name, dns_names));
  std::string reason, message;
  const bool ready = s.wait(name, "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(s.h.secret_data("shop", name + "-tls", "tls.crt").find("BEGIN CERTIFICATE") !=
        std::string::npos);
  if (!eventually([&] { return s.sim.record_count() == 0; }))
    FAIL_CHECK("records are left; dns-api-sim:\n" << s.sim.log());
  // The store lets go first, then BIND is told.
  CHECK(eventually([&] { return s.named.txt(record).empty(); }));
}

// Two 429s with Retry-After on the first `method` calls under `path_prefix`:
// waited out, and the Certificate issued.
template <class Setup>
void check_rate_limit_waited_out(Setup& s, const std::string& method,
                                 const std::string& path_prefix,
                                 const std::string& dns_names = R"(["www.example.test"])") {
  s.sim.fault(R"({"status": 429, "count": 2, "retryAfter": 1, "method": ")" + method +
              R"(", "pathPrefix": ")" + path_prefix + R"("})");
  s.h.apply(dns_certificate_yaml("limited", dns_names));
  std::string reason, message;
  const bool ready = s.wait("limited", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  CHECK(ready);
  CHECK(s.sim.served(method, 429) == 2);
}

// After `after` calls of `method` under `path_prefix` have gone through (the
// records' writes), eight 500s: more than one call's retries, so the
// clean-up fails once and the record is removed by the retry after it.
template <class Setup>
void check_cleanup_retried(Setup& s, const std::string& method, const std::string& path_prefix,
                           int after) {
  s.sim.fault(R"({"status": 500, "count": 8, "after": )" + std::to_string(after) +
              R"(, "method": ")" + method + R"(", "pathPrefix": ")" + path_prefix + R"("})");
  s.h.apply(dns_certificate_yaml("sticky", R"(["www.example.test"])"));
  std::string reason, message;
  const bool ready = s.wait("sticky", "Ready", "True", &reason, &message);
  INFO(reason << ": " << message << "\ndns-api-sim:\n" << s.sim.log());
  REQUIRE(ready);
  CHECK(eventually([&] { return s.sim.record_count() == 0; }, std::chrono::seconds(60)));
  CHECK(s.sim.served(method, 500) == 8);
  CHECK(eventually([&] { return s.named.txt("_acme-challenge.www.example.test").empty(); }));
}

// None of `secrets` in what `scan` captured, the Events or a status; the
// record's name, which is there, is found, so the scan is seen to work.
inline void check_secrets_kept(SecretScan& scan, ControllerHarness& h,
                               const std::vector<std::string>& secrets, const std::string& record) {
  std::size_t seen = 0;
  CHECK_FALSE(scan.find(h, {record}, seen).empty());
  const auto found = scan.find(h, secrets, seen);
  INFO("searched " << seen << " texts");
  CHECK(seen > 5);
  CHECK(found.empty());
  for (const std::string& where : found)
    UNSCOPED_INFO(where);
}

}  // namespace certmill::test
