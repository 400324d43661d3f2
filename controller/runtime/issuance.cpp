// The records' bookkeeping: parts made on first use, records dropped empty.
#include "controller/runtime/issuance.hpp"

namespace certmill::controller {

Issuance* Issuances::find(const std::string& key) {
  auto it = records_.find(key);
  return it == records_.end() ? nullptr : &it->second;
}

Expectation& Issuances::expect(const std::string& key, Time deadline) {
  Issuance& record = at(key);
  if (!record.expected)
    record.expected = std::make_unique<Expectation>();
  record.expected->deadline = deadline;
  return *record.expected;
}

RenewalAdvice& Issuances::advice(const std::string& key) {
  Issuance& record = at(key);
  if (!record.advice)
    record.advice = std::make_unique<RenewalAdvice>();
  return *record.advice;
}

void Issuances::tidy(const std::string& key) {
  auto it = records_.find(key);
  if (it != records_.end() && it->second.empty())
    records_.erase(it);
}

}  // namespace certmill::controller
