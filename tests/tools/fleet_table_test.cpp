// `certmill list`'s table: columns, -A and wide, and the expiry order with
// not-yet-issued Certificates first.
#include "tools/certmill/ops/fleet_table.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ops;

namespace {

const Time kNow{std::chrono::seconds(1'800'000'000)};

api::Certificate cert(std::string ns, std::string name, std::optional<int> days_left, bool ready) {
  api::Certificate c;
  c.metadata.namespace_ = std::move(ns);
  c.metadata.name = std::move(name);
  c.metadata.creation_timestamp = kNow - std::chrono::hours(24 * 3);
  c.spec.secret_name = c.metadata.name + "-tls";
  c.spec.issuer_ref = {.name = "ca", .kind = "ClusterIssuer", .group = ""};
  c.spec.dns_names = {c.metadata.name + ".example.com"};
  c.status.conditions = {
      {.type = "Ready",
       .status = ready ? api::ConditionStatus::True : api::ConditionStatus::False,
       .reason = ready ? "Ready" : "DoesNotExist",
       .message = "",
       .last_transition_time = std::nullopt,
       .observed_generation = std::nullopt}};
  if (days_left) {
    c.status.not_after = kNow + std::chrono::hours(24 * *days_left);
    c.status.renewal_time = kNow + std::chrono::hours(24 * (*days_left - 30));
  }
  return c;
}

}  // namespace

TEST_CASE("the fleet table sorts by expiry, unissued first") {
  const std::string out =
      fleet_table({cert("a", "late", 80, true), cert("b", "new", std::nullopt, false),
                   cert("a", "soon", 40, true)},
                  {.all_namespaces = true, .wide = false, .sort = SortBy::expiry}, kNow);
  CHECK(out ==
        "NAMESPACE   NAME   READY   SECRET     ISSUER             NOT AFTER              RENEWAL   "
        "AGE\n"
        "b           new    False   new-tls    ClusterIssuer/ca   <none>                 <none>    "
        "3d\n"
        "a           soon   True    soon-tls   ClusterIssuer/ca   2027-02-24T08:00:00Z   in 10d    "
        "3d\n"
        "a           late   True    late-tls   ClusterIssuer/ca   2027-04-05T08:00:00Z   in 50d    "
        "3d\n");
}

TEST_CASE("sorting by name, and the wide columns") {
  const std::string out =
      fleet_table({cert("a", "web", 80, true), cert("a", "api", std::nullopt, false)},
                  {.all_namespaces = false, .wide = true, .sort = SortBy::name}, kNow);
  CHECK(out.starts_with("NAME   READY   SECRET    ISSUER"));
  CHECK(out.find("\napi    False") != std::string::npos);
  CHECK(out.find("api.example.com   DoesNotExist\n") != std::string::npos);
  CHECK(out.find("web.example.com\n") != std::string::npos);
  CHECK(out.find("\napi") < out.find("\nweb"));
}
