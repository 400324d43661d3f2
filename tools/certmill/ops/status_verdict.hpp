// The first lines of `certmill status certificate`: whether the Certificate
// is well, and if not, why, deepest cause first (the Challenge the CA failed
// says more than the Certificate's "Issuing failed"). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/acme.hpp"
#include "core/api/certificate.hpp"
#include "core/api/event.hpp"
#include "core/api/secret.hpp"

namespace certmill::ops {

// Everything `status certificate` shows, as read from the API.
struct StatusInput {
  api::Certificate certificate;
  std::optional<api::Secret> secret;  // absent: not found
  std::optional<api::CertificateRequest> request;
  std::optional<api::Order> order;
  std::vector<api::Challenge> challenges;
  std::vector<api::Event> events;
};

struct Verdict {
  bool well = false;  // Ready=True and not expired
  std::string headline;
  // One line each, deepest first: why it is not well, or, for a well one
  // being re-issued, how that is going.
  std::vector<std::string> causes;
};

Verdict status_verdict(const StatusInput& in, Time now);

const api::Condition* find_condition(const std::vector<api::Condition>& conditions,
                                     std::string_view type);
std::string_view condition_status_name(api::ConditionStatus status);
std::string_view acme_state_name(std::optional<api::AcmeState> state);

}  // namespace certmill::ops
