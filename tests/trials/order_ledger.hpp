// The kill trial's count of ACME orders, per Certificate (by its DNS name):
// the issuances the trial asked for against the orders the CA created and
// the certificates it issued for that name, as acme-front's /stats counts
// them. An order placed again because a kill lost the first is an extra
// one; a name issued more certificates than it asked for was signed twice.
// Header-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/support/acme_front.hpp"

namespace certmill::test {

class OrderLedger {
 public:
  void ask(const std::string& dns_name) { ++requested_[dns_name]; }

  struct Reading {
    std::int64_t orders = 0;        // created by the CA, in all
    std::int64_t extra = 0;         // beyond the issuances asked for, since the last reading
    std::int64_t most_for_one = 0;  // the most extra orders one name gained since then
    std::vector<std::string> violations;
  };

  // Reads the front's counts once everything is Ready again (in between, an
  // order not placed yet would look like one lost). Every name may gain one
  // extra order per kill, and is issued exactly the certificates it asked for.
  Reading read(const AcmeFront& front) {
    const auto stats = boost::json::parse(front.get("/stats").body).as_object();
    const auto count = [&](const char* group, const std::string& name) -> std::int64_t {
      const auto* value = stats.at(group).as_object().if_contains(name);
      return value ? value->as_int64() : 0;
    };
    Reading reading;
    for (const auto& [name, asked] : requested_) {
      const std::int64_t orders = count("new_orders_by_names", name);
      const std::int64_t issued = count("issued_by_names", name);
      const std::int64_t gained = (orders - asked) - extra_[name];
      extra_[name] = orders - asked;
      reading.orders += orders;
      reading.extra += gained;
      reading.most_for_one = std::max(reading.most_for_one, gained);
      if (gained > 1)
        reading.violations.push_back(name + ": " + std::to_string(gained) +
                                     " extra orders since the last reading");
      if (issued != asked)
        reading.violations.push_back(name + ": " + std::to_string(issued) +
                                     " certificates issued for " + std::to_string(asked) +
                                     " issuances asked for");
    }
    return reading;
  }

 private:
  std::map<std::string, std::int64_t> requested_;
  std::map<std::string, std::int64_t> extra_;
};

}  // namespace certmill::test
