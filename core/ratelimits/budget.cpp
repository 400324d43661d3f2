// The budgets' checks and spending, with Let's Encrypt's exemptions.
#include "core/ratelimits/budget.hpp"

#include <algorithm>

namespace certmill::ratelimits {

bool subject_to(const OrderShape& shape, Limit limit) {
  if (shape.replaces)
    return false;
  switch (limit) {
    case Limit::NewOrdersPerAccount:
    case Limit::CertificatesPerDomain:
      return !shape.renewal;
    case Limit::CertificatesPerExactSet:
    case Limit::FailedAuthorizationsPerIdentifier:
      return true;
  }
  return true;
}

void AccountBudget::consider(Limit limit, const std::string& key, Instant now,
                             std::optional<Hold>& worst) const {
  Instant until = now;
  bool by_ca = false;
  if (auto closed = closed_.find({limit, key}); closed != closed_.end() && closed->second > now) {
    until = closed->second;
    by_ca = true;
  }
  const Family& buckets = family(limit);
  const auto bucket = buckets.find(key);
  Instant refilled = bucket == buckets.end() ? now : now + bucket->second.wait(now);
  // Turns given whose newOrder has not gone yet hold tokens of their own:
  // one more is there once the bucket holds reserved + 1.
  if (limit == Limit::NewOrdersPerAccount && reserved_ > 0 && limits_[limit].count != 0) {
    const LimitSpec& spec = limits_[limit];
    if (reserved_ >= spec.count) {
      refilled = std::max(refilled, now + spec.emission());  // the sends will ask again
    } else if (bucket != buckets.end() && bucket->second.full_at()) {
      const auto free = static_cast<Duration::rep>(spec.count - reserved_ - 1);
      refilled = std::max(refilled, *bucket->second.full_at() - spec.emission() * free);
    }
  }
  if (refilled > until) {
    until = refilled;
    by_ca = false;
  }
  if (until > now && (!worst || until > worst->until))
    worst = Hold{limit, key, until, by_ca};
}

std::optional<Hold> AccountBudget::hold(const OrderShape& shape, Instant now) const {
  std::optional<Hold> worst;
  if (subject_to(shape, Limit::NewOrdersPerAccount))
    consider(Limit::NewOrdersPerAccount, {}, now, worst);
  if (subject_to(shape, Limit::CertificatesPerDomain)) {
    for (const std::string& domain : shape.registered_domains)
      consider(Limit::CertificatesPerDomain, domain, now, worst);
  }
  if (subject_to(shape, Limit::CertificatesPerExactSet))
    consider(Limit::CertificatesPerExactSet, shape.exact_set, now, worst);
  if (subject_to(shape, Limit::FailedAuthorizationsPerIdentifier)) {
    for (const std::string& identifier : shape.identifiers)
      consider(Limit::FailedAuthorizationsPerIdentifier, identifier, now, worst);
  }
  return worst;
}

std::optional<Hold> AccountBudget::closed(const OrderShape& shape, Instant now) const {
  std::optional<Hold> worst;
  auto consider_closed = [&](Limit limit, const std::string& key) {
    if (!subject_to(shape, limit))
      return;
    const auto it = closed_.find({limit, key});
    if (it != closed_.end() && it->second > now && (!worst || it->second > worst->until))
      worst = Hold{limit, key, it->second, true};
  };
  consider_closed(Limit::NewOrdersPerAccount, {});
  for (const std::string& domain : shape.registered_domains)
    consider_closed(Limit::CertificatesPerDomain, domain);
  consider_closed(Limit::CertificatesPerExactSet, shape.exact_set);
  for (const std::string& identifier : shape.identifiers)
    consider_closed(Limit::FailedAuthorizationsPerIdentifier, identifier);
  return worst;
}

void AccountBudget::spend(Limit limit, const std::string& key, Instant at) {
  const LimitSpec& spec = limits_[limit];
  if (spec.count == 0)
    return;
  family(limit).try_emplace(key, spec).first->second.consume(counted_at(limit, at));
}

Instant AccountBudget::counted_at(Limit limit, Instant at) const {
  // Checked at `now` against spending dated this late: whenever within the
  // margin the CA counts each certificate, its count is never above ours.
  const bool at_issuance =
      limit == Limit::CertificatesPerDomain || limit == Limit::CertificatesPerExactSet;
  return at + skew_ + (at_issuance ? count_margin_ : Duration{});
}

void AccountBudget::placed(const OrderShape& shape, Instant at, bool issues) {
  if (subject_to(shape, Limit::NewOrdersPerAccount))
    spend(Limit::NewOrdersPerAccount, {}, at);
  if (issues)
    placed_certificates(shape, at);
}

void AccountBudget::placed_certificates(const OrderShape& shape, Instant at) {
  if (subject_to(shape, Limit::CertificatesPerDomain)) {
    for (const std::string& domain : shape.registered_domains)
      spend(Limit::CertificatesPerDomain, domain, at);
  }
  // Even an ARI renewal's certificate counts against its set once issued,
  // though its order is not checked.
  spend(Limit::CertificatesPerExactSet, shape.exact_set, at);
}

bool AccountBudget::reserves(const OrderShape& shape) const {
  return subject_to(shape, Limit::NewOrdersPerAccount) && limits_.new_orders_per_account.count != 0;
}

std::optional<Hold> AccountBudget::new_order_hold(Instant now) const {
  std::optional<Hold> worst;
  consider(Limit::NewOrdersPerAccount, {}, now, worst);
  return worst;
}

void AccountBudget::reserve(const OrderShape& shape, Instant at) {
  if (reserves(shape))
    ++reserved_;
  placed_certificates(shape, at);
}

void AccountBudget::sent(const OrderShape& shape, Instant at) {
  if (!reserves(shape))
    return;
  release(shape);
  spend(Limit::NewOrdersPerAccount, {}, at);
}

void AccountBudget::send_reserved(Instant at) {
  for (; reserved_ > 0; --reserved_)
    spend(Limit::NewOrdersPerAccount, {}, at);
}

void AccountBudget::release(const OrderShape& shape) {
  if (subject_to(shape, Limit::NewOrdersPerAccount) && reserved_ > 0)
    --reserved_;
}

void AccountBudget::authorization_failed(const std::string& identifier, Instant at) {
  spend(Limit::FailedAuthorizationsPerIdentifier, identifier, at);
}

void AccountBudget::refused(Limit limit, const std::string& key, Instant until) {
  Instant& closed = closed_[{limit, key}];
  closed = std::max(closed, until);
  const LimitSpec& spec = limits_[limit];
  if (spec.count != 0)
    family(limit).try_emplace(key, spec).first->second.drain_until(until);
}

void AccountBudget::learn(Limit limit, LimitSpec spec) {
  if (limits_[limit].count != 0 || spec.count == 0)
    return;
  limits_[limit] = spec;
}

std::optional<unsigned> AccountBudget::available(Limit limit, const std::string& key,
                                                 Instant now) const {
  if (auto closed = closed_.find({limit, key}); closed != closed_.end() && closed->second > now)
    return 0u;
  if (limits_[limit].count == 0)
    return std::nullopt;
  const Family& buckets = family(limit);
  const auto bucket = buckets.find(key);
  return bucket == buckets.end() ? limits_[limit].count : bucket->second.available(now);
}

std::optional<Instant> AccountBudget::refilled_at(Limit limit, Instant now) const {
  std::optional<Instant> last;
  for (const auto& [key, bucket] : family(limit)) {
    if (auto full = bucket.full_at(); full && *full > now)
      last = std::max(last.value_or(*full), *full);
  }
  for (const auto& [which, until] : closed_) {
    if (which.first == limit && until > now)
      last = std::max(last.value_or(until), until);
  }
  return last;
}

std::size_t AccountBudget::exhausted(Limit limit, Instant now) const {
  std::size_t count = 0;
  for (const auto& [key, bucket] : family(limit)) {
    if (bucket.wait(now) > Duration{})
      ++count;
  }
  for (const auto& [which, until] : closed_) {
    if (which.first == limit && until > now && !family(limit).contains(which.second))
      ++count;
  }
  return count;
}

std::map<std::pair<Limit, std::string>, Instant> AccountBudget::closings(Instant now) const {
  std::map<std::pair<Limit, std::string>, Instant> open;
  for (const auto& [which, until] : closed_) {
    if (until > now)
      open.emplace(which, until);
  }
  return open;
}

void AccountBudget::forget_idle(Instant now) {
  for (Family& buckets : families_) {
    std::erase_if(buckets, [&](const auto& entry) {
      const auto full = entry.second.full_at();
      return !full || *full <= now;
    });
  }
  std::erase_if(closed_, [&](const auto& entry) { return entry.second <= now; });
}

}  // namespace certmill::ratelimits
