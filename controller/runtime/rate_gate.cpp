// Asking for a turn, receiving it, and giving it back.
#include "controller/runtime/rate_gate.hpp"

#include <algorithm>
#include <cstdio>

#include "controller/digest.hpp"
#include "controller/runtime/certificate_effects.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "issuers/acme/identifiers.hpp"
#include "k8s/api_error.hpp"
#include "k8s/modify.hpp"

namespace certmill::controller {

namespace {

// What the CA's 429 closes, read from the error its problem became.
ratelimits::RateLimitRefusal refusal_of(const Error& error, const ratelimits::OrderShape& shape) {
  acme::Problem problem;
  problem.type = acme::ProblemType::RateLimited;
  problem.detail = error.message();
  return *ratelimits::read_refusal(problem, shape);
}

class AccountNewOrders final : public issuers::acme::NewOrderTurns {
 public:
  AccountNewOrders(RateLimitScheduler& scheduler, reactor::Clock& clock, RateLimitAccount account,
                   std::string certificate, ratelimits::OrderShape shape)
      : scheduler_(scheduler),
        clock_(clock),
        account_(std::move(account)),
        certificate_(std::move(certificate)),
        shape_(std::move(shape)) {}

  asio::awaitable<Status> enter(bool replaces) override {
    ratelimits::OrderShape shape = shape_;
    shape.replaces = replaces;
    co_return co_await scheduler_.enter_new_order(account_, certificate_, std::move(shape));
  }
  // A 429 closes its budget before the next newOrder may go, so that one
  // waits instead of meeting the same refusal.
  void sent(const Status& outcome) override {
    if (!outcome && outcome.error().code() == acme::ProblemType::RateLimited) {
      const Time now = std::chrono::floor<std::chrono::seconds>(clock_.now());
      if (const auto until = closing_after(outcome.error(), now))
        scheduler_.refused(account_.id, refusal_of(outcome.error(), shape_), *until);
    }
    scheduler_.new_order_sent(account_.id);
  }

 private:
  RateLimitScheduler& scheduler_;
  reactor::Clock& clock_;
  RateLimitAccount account_;
  std::string certificate_;
  ratelimits::OrderShape shape_;
};

constexpr std::string_view kRequestTurn = "CertificateRequest/";

}  // namespace

std::string request_turn_key(const std::string& request) {
  return std::string(kRequestTurn) + request;
}

std::optional<Result<RateLimitAccount>> rate_limit_account(
    const IssuerView& issuer, const std::string& cluster_resource_namespace) {
  if (issuer.type != IssuerType::ACME)
    return std::nullopt;
  RateLimitAccount account;
  account.id = issuer.acme_server + " " + issuer.acme_key_secret;
  char label[17];
  std::snprintf(label, sizeof label, "%016llx",
                static_cast<unsigned long long>(digest_of(account.id)));
  account.label = label;
  account.server = issuer.acme_server;
  account.key_secret = issuer.acme_key_secret;
  const auto slash = issuer.acme_key_secret.find('/');
  account.key_namespace =
      issuer.cluster ? cluster_resource_namespace : issuer.acme_key_secret.substr(0, slash);
  account.key_name = issuer.acme_key_secret.substr(slash + 1);
  const auto known = ratelimits::known_limits(issuer.acme_server);
  account.limits = known.value_or(ratelimits::CaLimits{});
  account.told = known.has_value() || !issuer.rate_limits.empty();
  if (!issuer.rate_limits.empty()) {
    auto limits = ratelimits::parse_rate_limits(issuer.rate_limits, account.limits);
    if (!limits)
      return Result<RateLimitAccount>(limits.error());
    account.limits = *limits;
  }
  return Result<RateLimitAccount>(std::move(account));
}

std::vector<acme::Identifier> order_identifiers(const api::CertificateSpec& spec) {
  std::vector<acme::Identifier> ids;
  for (const std::string& name : spec.dns_names)
    ids.push_back({"dns", name});
  for (const std::string& ip : spec.ip_addresses)
    ids.push_back({"ip", ip});
  if (!spec.common_name.empty() &&
      std::none_of(ids.begin(), ids.end(),
                   [&](const acme::Identifier& id) { return id.value == spec.common_name; }))
    ids.push_back({"dns", spec.common_name});
  return ids;
}

std::optional<RequestOrder> request_order(const IssuerView& issuer,
                                          const api::CertificateRequest& request,
                                          const std::string& cluster_resource_namespace) {
  auto account = rate_limit_account(issuer, cluster_resource_namespace);
  if (!account || !*account)
    return std::nullopt;
  auto csr = issuers::acme::read_order_csr(request.spec.request.data);
  if (!csr)
    return std::nullopt;
  return RequestOrder{std::move(**account), std::move(csr->identifiers)};
}

bool RateGate::admit_issuance(const std::string& certificate, const IssuerView& issuer,
                              const api::CertificateSpec& spec, const CertificateView& view,
                              const SecretView* secret, bool ari) {
  auto account = rate_limit_account(issuer, shard_.options.cluster_resource_namespace);
  if (!account || !*account)
    return true;
  const bool renewal =
      secret && secret->cert &&
      secret->cert->have[SpecField::DnsNames] == view.want[SpecField::DnsNames] &&
      secret->cert->have[SpecField::IpAddresses] == view.want[SpecField::IpAddresses];
  const std::optional<Time> expires =
      renewal ? std::optional<Time>(secret->cert->not_after) : std::nullopt;
  return admit(certificate, **account, order_identifiers(spec), expires, renewal, renewal && ari);
}

bool RateGate::renews_same_names(const std::string& certificate) const {
  const auto turn = turns_.find(certificate);
  return turn != turns_.end() && turn->second.waiting.shape.renewal;
}

bool RateGate::granted(const std::string& certificate) const {
  const auto turn = turns_.find(certificate);
  return turn != turns_.end() && turn->second.granted;
}

bool RateGate::admit(const std::string& certificate, const RateLimitAccount& account,
                     const std::vector<acme::Identifier>& identifiers, std::optional<Time> expires,
                     bool renewal, bool replaces) {
  auto [turn, asking] = turns_.try_emplace(certificate);
  if (!asking && turn->second.account.id == account.id) {
    if (!turn->second.granted && turn->second.account.limits != account.limits) {
      // The Issuer's limits changed (its annotation): the line counts anew
      // under them, and this issuance keeps its place in it.
      turn->second.account = account;
      scheduler_.request(shard_.index, account, turn->second.waiting);
    }
    return turn->second.granted;
  }
  if (!asking)
    scheduler_.withdraw(turn->second.account.id, certificate);  // the issuer changed
  const Time now = shard_.now();
  turn->second = Turn{
      account,
      {certificate, expires.value_or(now + kNewCertificateGrace),
       ratelimits::order_shape(identifiers, suffixes_, replaces, renewal), expires.has_value()},
      false};
  scheduler_.request(shard_.index, account, turn->second.waiting);
  return false;
}

void RateGate::grant(const std::string& certificate) {
  if (late_.contains(certificate))
    projected(certificate, std::nullopt);
  const auto turn = turns_.find(certificate);
  if (turn == turns_.end())
    return;  // done meanwhile; the budget it took is spent
  turn->second.granted = true;
  if (certificate.starts_with(kRequestTurn))
    shard_.runner.enqueue(shard_.kinds.request, certificate.substr(kRequestTurn.size()));
  else
    shard_.runner.enqueue(shard_.kinds.certificate, certificate);
}

bool RateGate::waiting(const std::string& certificate) const {
  const auto turn = turns_.find(certificate);
  return turn != turns_.end() && !turn->second.granted;
}

void RateGate::refused(const std::string& certificate, const RateLimitAccount& account,
                       const std::vector<acme::Identifier>& identifiers, const Error& error) {
  auto turn = turns_.find(certificate);
  if (turn == turns_.end()) {
    const Time now = shard_.now();
    turn = turns_
               .try_emplace(
                   certificate,
                   Turn{account,
                        {certificate, now + kNewCertificateGrace,
                         ratelimits::order_shape(identifiers, suffixes_, false, false), false},
                        false})
               .first;
  }
  auto refusal = refusal_of(error, turn->second.waiting.shape);
  const auto until = closing_after(error, shard_.now());
  // The CA's own 429 is worth a warning; the orders held back here after it
  // (as many as had their turn) only repeat it.
  log::write(until ? log::Level::warn : log::Level::debug,
             "an ACME order was rate-limited; it waits in line again",
             {{"certificate", certificate},
              {"limit", std::string(ratelimits::limit_name(refusal.limit))},
              {"retry_after", format_duration(closing_wait(error))},
              {"error", error.message()}});
  if (until)
    scheduler_.refused(turn->second.account.id, std::move(refusal), *until);
  turn->second.granted = false;
  scheduler_.request(shard_.index, turn->second.account, turn->second.waiting);
}

std::unique_ptr<issuers::acme::NewOrderTurns> RateGate::new_order_turns(
    const std::string& certificate, const RateLimitAccount& account,
    const std::vector<acme::Identifier>& identifiers) const {
  if (const auto turn = turns_.find(certificate); turn != turns_.end()) {
    return std::make_unique<AccountNewOrders>(scheduler_, shard_.reactor.clock(),
                                              turn->second.account, certificate,
                                              turn->second.waiting.shape);
  }
  return std::make_unique<AccountNewOrders>(
      scheduler_, shard_.reactor.clock(), account, certificate,
      ratelimits::order_shape(identifiers, suffixes_, false, false));
}

void RateGate::projected(const std::string& certificate, std::optional<LateRenewal> late) {
  if (certificate.starts_with(kRequestTurn))
    return;  // a request has no renewal to be late for, and no Certificate to say it on
  if (late ? !late_.insert(certificate).second : late_.erase(certificate) == 0)
    return;
  write_late(certificate, late);
}

void RateGate::write_late(const std::string& certificate, std::optional<LateRenewal> late) {
  const auto slash = certificate.find('/');
  if (slash == std::string::npos)
    return;
  std::string message;
  if (late)
    message =
        "The ACME account's rate limits leave no room to renew this certificate before it "
        "expires at " +
        format_time(late->expires) + ": its order is projected for " + format_time(late->start) +
        ". Raise the limits with the CA, spread the renewals over more accounts, or "
        "renew others later.";
  shard_.shard.tasks().spawn([this, ns = certificate.substr(0, slash),
                              name = certificate.substr(slash + 1), late,
                              message]() -> asio::awaitable<void> {
    auto written = co_await k8s::modify<api::Certificate>(
        shard_.client, ns, name,
        [&](api::Certificate& crt) {
          auto& conditions = crt.status.conditions;
          if (!late)
            return std::erase_if(conditions, [](const api::Condition& c) {
                     return c.type == kLateCondition;
                   }) > 0;
          const auto before = crt.status;
          set_condition(conditions, {kLateCondition, api::ConditionStatus::True, kLateReason,
                                     message, shard_.now(), crt.metadata.generation});
          return !(crt.status == before);
        },
        k8s::Target::Status);
    if (!written) {
      if (!k8s::is_not_found(written.error()))
        log::warn("a Certificate's projected late renewal could not be written",
                  {{"certificate", ns + "/" + name}, {"error", written.error().message()}});
      co_return;
    }
    if (late)
      co_await shard_.record(shard_.certificate_events, reference_to(*written),
                             {{"Warning", kLateReason, message}});
  });
}

void RateGate::done(const std::string& certificate) {
  if (late_.contains(certificate))
    projected(certificate, std::nullopt);
  const auto turn = turns_.find(certificate);
  if (turn == turns_.end())
    return;
  // Waiting, it leaves the line; granted and never sent, its token is free.
  scheduler_.withdraw(turn->second.account.id, certificate);
  turns_.erase(turn);
}

}  // namespace certmill::controller
