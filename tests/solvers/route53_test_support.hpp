// What the Route 53 tests share: the AWS SigV4 test suite's credentials and
// time, and checks on Results and on every prefix of a body.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "core/result.hpp"
#include "solvers/dns/route53/sigv4.hpp"

namespace route53_test {

using namespace std::chrono_literals;

// aws-sig-v4-test-suite's fixed inputs.
inline const auto kSuiteTime =
    std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;
inline const certmill::solvers::route53::Credentials kSuiteKeys{
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
inline const std::string kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline const std::string kUnreserved =
    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// The value of a header the signer added, or "(absent)".
inline std::string header(const certmill::solvers::route53::Signature& s, std::string_view name) {
  for (const auto& h : s.headers)
    if (h.name == name)
      return h.value;
  return "(absent)";
}

template <class T>
bool fails_with(const certmill::Result<T>& r, certmill::Errc code) {
  return !r.ok() && r.error().code() == code;
}

inline std::string replaced(std::string text, std::string_view from, std::string_view to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

// Each strict prefix of `body` is an error for `parse`.
template <class Parse>
void every_prefix_fails(const std::string& body, Parse parse) {
  for (std::size_t n = 0; n < body.size(); ++n) {
    INFO(n);
    CHECK_FALSE(parse(body.substr(0, n)).ok());
  }
}

}  // namespace route53_test
