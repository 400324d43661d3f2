// The year, event by event: certificates fall due (their renewal time, or
// their creation), wait in the account's line, are admitted when the budgets
// allow, are ordered from the CA model, and are stored `lead` later with a new
// renewal time inside the CA's ARI window.
#include "tests/support/rate_limit_year.hpp"

#include <algorithm>
#include <memory>
#include <queue>
#include <tuple>

#include "core/ratelimits/issuance_queue.hpp"
#include "core/ratelimits/public_suffix.hpp"
#include "tools/acme-front/limits.hpp"

namespace certmill::simulation {
namespace {

using ratelimits::Instant;
using Clock = std::chrono::steady_clock;

// splitmix64: a stable draw per (certificate, issuance), as the controller
// derives its renewal time from the certificate's serial.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double unit(std::uint64_t x) {
  return static_cast<double>(mix(x) >> 11) / static_cast<double>(1ULL << 53);
}

struct Cert {
  std::vector<acme::Identifier> names;
  std::optional<Instant> not_after;  // none until first issued
  Instant created;
  bool ari = true;
  std::uint64_t issuances = 0;
};

enum class Event { Due, Stored, Wake };

struct Scheduled {
  Instant at;
  Event event;
  std::size_t cert;
  bool operator>(const Scheduled& other) const {
    return std::tie(at, event, cert) > std::tie(other.at, other.event, other.cert);
  }
};

class Year {
 public:
  Year(const YearPlan& plan, const ratelimits::CaLimits& ca, const ratelimits::CaLimits& told)
      : plan_(plan),
        suffixes_(std::make_shared<const ratelimits::PublicSuffixList>(
            ratelimits::PublicSuffixList::parse("com\norg\nnet\nco.uk\n"))),
        budget_(told),
        ca_(acmefront::LimitConfig{ca.new_orders_per_account, ca.certificates_per_domain,
                                   ca.certificates_per_exact_set,
                                   ca.failed_authorizations_per_identifier},
            suffixes_) {}

  YearReport run();

 private:
  void add(std::vector<acme::Identifier> names, Instant created, std::optional<Instant> not_after);
  void due(std::size_t index);
  void admit(Instant now);
  void order(std::size_t index, Instant now);
  void stored(std::size_t index, Instant now);
  Clock::time_point ca_time(Instant t) const { return Clock::time_point{} + (t - start_); }
  DaySample& today(Instant now);

  const YearPlan& plan_;
  // Both sides count registered domains by the same list.
  std::shared_ptr<const ratelimits::PublicSuffixList> suffixes_;
  ratelimits::AccountBudget budget_;
  ratelimits::IssuanceQueue line_;
  acmefront::Limits ca_;
  std::vector<Cert> certs_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> events_;
  std::optional<Instant> wake_;
  Instant start_ = Instant{} + std::chrono::hours(24 * 365 * 56);
  YearReport report_;
};

void Year::add(std::vector<acme::Identifier> names, Instant created,
               std::optional<Instant> not_after) {
  const std::size_t index = certs_.size();
  certs_.push_back(Cert{std::move(names), not_after, created,
                        plan_.without_ari_every == 0 || index % plan_.without_ari_every != 0});
  if (not_after) {
    const auto renew = *not_after - plan_.lifetime / 3;
    events_.push({std::max(renew, start_), Event::Due, index});
  } else {
    events_.push({created, Event::Due, index});
  }
}

DaySample& Year::today(Instant now) {
  const auto day = static_cast<std::size_t>((now - start_) / std::chrono::hours(24));
  while (report_.days.size() <= day)
    report_.days.push_back({static_cast<int>(report_.days.size()), 0, 0, 0, ~0u});
  return report_.days[day];
}

void Year::due(std::size_t index) {
  const Cert& cert = certs_[index];
  const bool renewal = cert.not_after.has_value();
  auto shape = ratelimits::order_shape(cert.names, *suffixes_, renewal && cert.ari, renewal);
  const Instant deadline = renewal ? *cert.not_after : cert.created + plan_.new_grace;
  line_.wait({std::to_string(index), deadline, std::move(shape), renewal});
}

void Year::order(std::size_t index, Instant now) {
  Cert& cert = certs_[index];
  ++report_.orders;
  const bool renewal = cert.not_after.has_value();
  const bool replaces = renewal && cert.ari;
  const auto at = ca_time(now);
  if (!renewal)
    report_.longest_new_wait = std::max(report_.longest_new_wait, Duration(now - cert.created));
  auto& day = today(now);
  // Let's Encrypt exempts orders with `replaces` from every limit: they never
  // reach its limits, as they never reach acme-front's.
  if (auto refusal =
          replaces ? std::nullopt : ca_.check_new_order(at, now, "account", cert.names)) {
    // As the controller reads a 429: that limit closes for the order's keys.
    ++report_.refused;
    const auto shape = ratelimits::order_shape(cert.names, *suffixes_, replaces, renewal);
    const auto limit =
        ratelimits::limit_named(refusal->limit).value_or(ratelimits::Limit::NewOrdersPerAccount);
    std::vector<std::string> keys{{}};
    if (limit == ratelimits::Limit::CertificatesPerDomain)
      keys = shape.registered_domains;
    else if (limit == ratelimits::Limit::CertificatesPerExactSet)
      keys = {shape.exact_set};
    else if (limit == ratelimits::Limit::FailedAuthorizationsPerIdentifier)
      keys = shape.identifiers;
    for (const std::string& key : keys)
      budget_.refused(limit, key, now + refusal->retry_after);
    events_.push({now + refusal->retry_after, Event::Due, index});
    return;
  }
  if (!replaces && !ca_.renewal(at, cert.names))
    ca_.count_new_order(at, "account");
  (ratelimits::subject_to(ratelimits::order_shape(cert.names, *suffixes_, replaces, renewal),
                          ratelimits::Limit::NewOrdersPerAccount)
       ? day.counted_orders
       : day.exempt_orders)++;
  // An authorization fails once for every `failing_every`-th order: counted
  // by both sides, and the certificate tries again later.
  if (plan_.failing_every != 0 && mix(plan_.seed ^ report_.orders) % plan_.failing_every == 0) {
    ++report_.failed_authorizations;
    const acme::Identifier& name = cert.names.front();
    ca_.count_failed_authorization(at, "account", name);
    budget_.authorization_failed(ratelimits::authorization_key(name), now);
    events_.push({now + plan_.retry_after_failure, Event::Due, index});
    return;
  }
  events_.push({now + plan_.lead, Event::Stored, index});
}

void Year::stored(std::size_t index, Instant now) {
  Cert& cert = certs_[index];
  if (cert.not_after) {
    if (*cert.not_after <= now)
      ++report_.expired;
    report_.worst_margin = std::min(report_.worst_margin, Duration(*cert.not_after - now));
  }
  ca_.count_issued(ca_time(now), cert.names);
  ++report_.issued;
  ++cert.issuances;
  const Instant not_after = now + plan_.lifetime;
  cert.not_after = not_after;
  // The CA's window: centred two thirds into the lifetime, 1% of it either
  // side; the time inside drawn once per certificate issued.
  const auto centre = now + plan_.lifetime * 2 / 3;
  const auto half = plan_.lifetime / 100;
  const double draw = unit(plan_.seed * 1'000'003 + index * 131 + cert.issuances);
  const auto renew = centre - half + std::chrono::duration_cast<Duration>(2 * half * draw);
  events_.push({std::chrono::time_point_cast<Instant::duration>(renew), Event::Due, index});
}

void Year::admit(Instant now) {
  auto admission = line_.admit(budget_, now, line_.size());
  for (const auto& waiting : admission.admitted) {
    budget_.sent(waiting.shape, now);  // the order goes at once
    order(std::stoul(waiting.key), now);
  }
  auto& day = today(now);
  day.most_waiting = std::max(day.most_waiting, line_.size());
  day.least_account_tokens =
      std::min(day.least_account_tokens,
               budget_.available(ratelimits::Limit::NewOrdersPerAccount, {}, now).value_or(0));
  if (admission.next && (!wake_ || *admission.next < *wake_ || *wake_ <= now)) {
    wake_ = *admission.next;
    events_.push({*admission.next, Event::Wake, 0});
  }
}

YearReport Year::run() {
  const std::size_t domains = std::max<std::size_t>(plan_.domains, 1);
  auto name = [&](std::size_t i, std::size_t domain) {
    return acme::Identifier{
        "dns", "host-" + std::to_string(i) + ".domain-" + std::to_string(domain) + ".com"};
  };
  // The fleet that exists, as if renewed on time so far: issued evenly over
  // the two thirds of a lifetime before the start, so its renewals fall
  // evenly over the next two thirds. Both sides learn of those issuances,
  // oldest first, as the controller rebuilds its budgets from the
  // CertificateRequests that exist.
  for (std::size_t i = plan_.existing; i-- > 0;) {
    const auto step = plan_.lifetime * 2 / 3 / (plan_.existing + 1);
    const auto issued = start_ - step * (i + 1);
    const auto at = std::chrono::time_point_cast<Instant::duration>(issued);
    add({name(i, i % domains)}, at, at + plan_.lifetime);
    ca_.count_issued(ca_time(at), certs_.back().names);
    budget_.placed(ratelimits::order_shape(certs_.back().names, *suffixes_, false, false), at);
  }
  const Instant burst = start_ + std::chrono::hours(24) * plan_.burst_day;
  for (std::size_t i = 0; i < plan_.burst; ++i)
    add({name(plan_.existing + i, (i * 7) % domains)}, burst, std::nullopt);
  const Instant one = start_ + std::chrono::hours(24) * plan_.one_domain_day;
  for (std::size_t i = 0; i < plan_.one_domain; ++i) {
    add({{"dns", "app-" + std::to_string(i) + ".one-domain.co.uk"}}, one, std::nullopt);
  }
  report_.certificates = certs_.size();

  const Instant end = start_ + std::chrono::hours(24) * plan_.days;
  Instant last_projection = start_;
  while (!events_.empty() && events_.top().at < end) {
    const Instant now = events_.top().at;
    while (!events_.empty() && events_.top().at == now) {
      const Scheduled next = events_.top();
      events_.pop();
      if (next.event == Event::Due)
        due(next.cert);
      else if (next.event == Event::Stored)
        stored(next.cert, now);
    }
    admit(now);
    // Once a simulated day, as the controller would every few minutes:
    // forget spent buckets, and ask the projection who will miss.
    if (now - last_projection >= std::chrono::hours(24)) {
      last_projection = now;
      budget_.forget_idle(now);
      for (const auto& p : line_.project(budget_, now, plan_.lead))
        report_.projected_misses += p.misses ? 1 : 0;
    }
  }
  // Whatever is still unrenewed at the end must not have expired yet.
  for (const Cert& cert : certs_) {
    if (cert.not_after && *cert.not_after <= end)
      ++report_.expired;
  }
  return report_;
}

}  // namespace

YearReport simulate_year(const YearPlan& plan, const ratelimits::CaLimits& ca,
                         const ratelimits::CaLimits& told) {
  return Year(plan, ca, told).run();
}

}  // namespace certmill::simulation
