// `certmill budgets`' replay and table from objects alone: Issuers sharing an
// account, Orders of other accounts passed over, renewals exempt, a 429's
// closing kept on the key Secret, when the next order fits, and a bad
// certmill.io/rate-limits annotation.
#include "tools/certmill/ops/budget_replay.hpp"

#include <catch2/catch.hpp>

#include "controller/runtime/rate_gate.hpp"
#include "core/ratelimits/closings.hpp"
#include "tools/certmill/ops/budget_table.hpp"

using namespace certmill;
using namespace certmill::ops;
using ratelimits::Limit;

namespace {

const Time kNow{std::chrono::seconds(1'800'000'000)};
const auto kSuffixes = ratelimits::PublicSuffixList::parse("com\nco.uk\n");
const std::string kOther = "https://acme.example/directory";

controller::IssuerView acme_issuer(std::string name, std::string server, std::string key,
                                   std::string rate_limits = {}) {
  controller::IssuerView v;
  v.namespace_ = "default";
  v.name = std::move(name);
  v.type = controller::IssuerType::ACME;
  v.acme_server = std::move(server);
  v.acme_key_secret = "default/" + key;
  v.rate_limits = std::move(rate_limits);
  return v;
}

std::string label_of(const controller::IssuerView& issuer) {
  return (*controller::rate_limit_account(issuer, "cert-manager"))->label;
}

api::Order order(std::string label, std::vector<std::string> names, std::chrono::minutes ago,
                 bool renewal = false) {
  api::Order o;
  o.metadata.namespace_ = "default";
  o.metadata.name = names[0] + "-" + std::to_string(ago.count());
  o.metadata.labels[std::string(ratelimits::kAccountLabel)] = std::move(label);
  o.metadata.creation_timestamp = kNow - ago;
  if (renewal)
    o.metadata.annotations[std::string(ratelimits::kRenewalAnnotation)] = "true";
  o.spec.dns_names = std::move(names);
  o.status.url = "https://acme.example/order/1";
  o.status.state = api::AcmeState::Valid;
  return o;
}

const LimitBudget& limit_of(const AccountBudgets& a, Limit limit) {
  return a.limits[static_cast<std::size_t>(limit)];
}

}  // namespace

TEST_CASE("Orders replay into their account's budgets, and Issuers sharing an account are one") {
  const auto le = acme_issuer("le", std::string(ratelimits::kLetsEncryptProduction), "le-key");
  const auto le2 = acme_issuer("le-too", std::string(ratelimits::kLetsEncryptProduction), "le-key");
  const auto staging =
      acme_issuer("staging", std::string(ratelimits::kLetsEncryptStaging), "staging-key");
  BudgetObjects in{
      .issuers = {le2, staging, le},
      .orders = {order(label_of(le), {"a.example.com"}, std::chrono::minutes(30)),
                 order(label_of(le), {"b.example.com", "c.example.co.uk"},
                       std::chrono::minutes(20)),
                 order(label_of(le), {"a.example.com"}, std::chrono::minutes(10), true),
                 order("someone-else", {"x.example.com"}, std::chrono::minutes(5))},
      .closings = {},
      .cluster_resource_namespace = "cert-manager"};
  in.orders[1].status.url.clear();  // its newOrder never got an answer: not counted
  in.orders.push_back(order(label_of(le), {"b.example.com"}, std::chrono::minutes(15)));
  const auto accounts = replay_budgets(in, kSuffixes, kNow);
  REQUIRE(accounts.size() == 2);
  const AccountBudgets& a = accounts[0];
  CHECK(a.issuers == std::vector<std::string>{"default/le", "default/le-too"});
  CHECK(a.key_secret == "default/le-key");
  CHECK(a.orders == 3);
  // 300 new orders per 3 h give one back every 36 s: two orders 15 and 30
  // minutes ago are long back.
  const auto& orders = limit_of(a, Limit::NewOrdersPerAccount);
  REQUIRE(orders.keys.size() == 1);
  CHECK(orders.keys[0].used == 0);
  CHECK(orders.keys[0].next_free == kNow);
  // The renewal spends no domain, only its exact set. A certificate counts
  // as of an hour after its order (when the CA may issue it, as the
  // scheduler counts), so two certificates one every 3.36 h take three
  // tokens now: the scheduler's burst is that much smaller than the CA's.
  const auto& domains = limit_of(a, Limit::CertificatesPerDomain);
  REQUIRE(domains.keys.size() == 1);
  CHECK(domains.keys[0].key == "example.com");
  CHECK(domains.keys[0].used == 3);
  CHECK(domains.spec.count == 50);
  const auto& sets = limit_of(a, Limit::CertificatesPerExactSet);
  REQUIRE(sets.keys.size() == 2);
  CHECK(sets.keys[0].key == "a.example.com");  // two certificates, the most used first
  CHECK(sets.keys[0].used >= sets.keys[1].used + 1);
  CHECK(limit_of(a, Limit::FailedAuthorizationsPerIdentifier).keys.empty());
  CHECK(accounts[1].issuers == std::vector<std::string>{"default/staging"});
  CHECK(accounts[1].orders == 0);
  CHECK(limit_of(accounts[1], Limit::NewOrdersPerAccount).keys[0].used == 0);
}

TEST_CASE("an empty bucket says when its next token is back") {
  const auto issuer = acme_issuer("ca", kOther, "key", "new-orders-per-account=2/1h");
  const BudgetObjects in{
      .issuers = {issuer},
      .orders = {order(label_of(issuer), {"a.example.com"}, std::chrono::minutes(10)),
                 order(label_of(issuer), {"b.example.com"}, std::chrono::minutes(10))},
      .closings = {},
      .cluster_resource_namespace = "cert-manager"};
  const auto accounts = replay_budgets(in, kSuffixes, kNow);
  REQUIRE(accounts.size() == 1);
  const auto& orders = limit_of(accounts[0], Limit::NewOrdersPerAccount);
  CHECK(orders.keys[0].used == 2);
  // One token every 30 minutes, counted 5 s (the scheduler's clock skew)
  // after the orders went 10 minutes ago.
  CHECK(orders.keys[0].next_free == kNow + std::chrono::minutes(20) + std::chrono::seconds(5));
  // A limit the annotation did not name is not known for a CA not Let's Encrypt.
  CHECK(limit_of(accounts[0], Limit::CertificatesPerDomain).spec.count == 0);
}

TEST_CASE("a 429's closing on the key Secret closes its key until the CA's time") {
  const auto le = acme_issuer("le", std::string(ratelimits::kLetsEncryptProduction), "le-key");
  const Time until = kNow + std::chrono::hours(2);
  const Time ended = kNow - std::chrono::hours(1);
  const BudgetObjects in{
      .issuers = {le},
      .orders = {},
      .closings = {{"default/le-key", ratelimits::format_closings(
                                          {{{Limit::CertificatesPerDomain, "example.com"}, until},
                                           {{Limit::CertificatesPerDomain, "old.com"}, ended}})}},
      .cluster_resource_namespace = "cert-manager"};
  const auto accounts = replay_budgets(in, kSuffixes, kNow);
  const auto& domains = limit_of(accounts[0], Limit::CertificatesPerDomain);
  REQUIRE(domains.keys.size() == 1);  // the ended closing is passed over
  CHECK(domains.keys[0].key == "example.com");
  CHECK(domains.keys[0].closed_until == until);
  CHECK(domains.keys[0].used == 50);
  CHECK(domains.keys[0].next_free >= until);
  const std::string table = budget_table(accounts, kNow);
  INFO(table);
  CHECK(table.starts_with("ACCOUNT"));
  CHECK(table.find("default/le (acme-v02.api.letsencrypt.org)   new orders per account") !=
        std::string::npos);
  CHECK(table.find("certificates per domain example.com   50/50 in 7d   in 120m     in 120m\n") !=
        std::string::npos);
}

TEST_CASE("an Issuer whose rate-limits annotation does not read is shown, not counted") {
  const auto bad = acme_issuer("bad", kOther, "key", "new-orders-per-account=lots");
  const auto ca = [] {
    controller::IssuerView v;
    v.namespace_ = "default";
    v.name = "ca";
    v.type = controller::IssuerType::CA;
    return v;
  }();
  const BudgetObjects in{.issuers = {bad, ca},
                         .orders = {},
                         .closings = {},
                         .cluster_resource_namespace = "cert-manager"};
  const auto accounts = replay_budgets(in, kSuffixes, kNow);
  REQUIRE(accounts.size() == 1);  // the CA issuer has no account
  CHECK(!accounts[0].error.empty());
  CHECK(budget_table(accounts, kNow).find("default/bad (acme.example)   not counted: ") !=
        std::string::npos);
  const auto doc = budget_document(accounts);
  CHECK(doc.at("accounts").at(0).at("error").is_string());
}

TEST_CASE("more domains than the table shows are counted in one line") {
  const auto le = acme_issuer("le", std::string(ratelimits::kLetsEncryptProduction), "le-key");
  BudgetObjects in{
      .issuers = {le}, .orders = {}, .closings = {}, .cluster_resource_namespace = "cert-manager"};
  for (const char* d : {"a.com", "b.com", "c.com", "d.com", "e.com"})
    in.orders.push_back(order(label_of(le), {std::string("www.") + d}, std::chrono::minutes(5)));
  const auto accounts = replay_budgets(in, kSuffixes, kNow);
  CHECK(limit_of(accounts[0], Limit::CertificatesPerDomain).keys.size() == 5);
  CHECK(budget_table(accounts, kNow).find("and 2 more (-o json)") != std::string::npos);
}
