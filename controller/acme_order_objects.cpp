// Order and Challenge objects from an order's reports.
#include "controller/acme_order_objects.hpp"

#include <algorithm>
#include <cstdio>

#include "controller/digest.hpp"
#include "core/log.hpp"
#include "core/ratelimits/past_orders.hpp"
#include "issuers/acme/identifiers.hpp"
#include "k8s/api_error.hpp"
#include "solvers/http01/ingress_overrides.hpp"
#include "solvers/selection.hpp"

namespace certmill::controller {

namespace {

std::optional<api::AcmeState> state_named(const std::string& state) {
  static const std::pair<const char*, api::AcmeState> states[] = {
      {"valid", api::AcmeState::Valid},     {"ready", api::AcmeState::Ready},
      {"pending", api::AcmeState::Pending}, {"processing", api::AcmeState::Processing},
      {"invalid", api::AcmeState::Invalid}, {"expired", api::AcmeState::Expired},
      {"errored", api::AcmeState::Errored}};
  for (const auto& [name, value] : states) {
    if (state == name)
      return value;
  }
  return std::nullopt;
}

std::string hashed(const std::string& prefix, std::string_view text) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%u", static_cast<unsigned>(digest_of(text) % 4294967291u));
  return prefix + suffix;
}

}  // namespace

std::string AcmeOrderObjects::order_name(const std::string& request_name,
                                         const api::OrderSpec& spec) {
  std::string asked = spec.request.data + "\x1f" + spec.issuer_ref.name + "\x1f" +
                      spec.issuer_ref.kind + "\x1f" + spec.profile + "\x1f" + spec.replaces;
  for (const auto& name : spec.dns_names)
    asked += "\x1f" + name;
  return hashed(request_name, asked);
}

std::string AcmeOrderObjects::challenge_name(const std::string& order, const std::string& url) {
  return hashed(order, url);
}

AcmeOrderObjects::AcmeOrderObjects(k8s::Client& client, reactor::Clock& clock,
                                   const api::CertificateRequest& request,
                                   std::vector<api::ACMEChallengeSolver> solvers,
                                   solvers::SolverService service, solvers::PodEndpoint pod,
                                   std::string replaces, ChallengeStatusMetrics status_metrics,
                                   RateLimitMarks marks)
    : client_(client),
      clock_(clock),
      namespace_(request.metadata.namespace_),
      request_owner_{"cert-manager.io/v1",
                     "CertificateRequest",
                     request.metadata.name,
                     request.metadata.uid,
                     true,
                     true},
      solvers_(std::move(solvers)),
      service_(std::move(service)),
      pod_(std::move(pod)),
      status_metrics_(std::move(status_metrics)),
      // cert-manager's challenges controller's name for itself; a recorder
      // per order, as a Challenge belongs to one.
      events_(client, clock, "cert-manager-challenges", 64) {
  spec_.request = request.spec.request;
  spec_.issuer_ref = request.spec.issuer_ref;
  spec_.duration = request.spec.duration;
  spec_.replaces = std::move(replaces);
  if (auto csr = issuers::acme::read_order_csr(request.spec.request.data)) {
    for (const auto& id : csr->identifiers)
      (id.type == "ip" ? spec_.ip_addresses : spec_.dns_names).push_back(id.value);
  }
  order_.metadata.namespace_ = namespace_;
  order_.metadata.name = order_name(request.metadata.name, spec_);
  // As cert-manager: the Order carries the request's labels (solver
  // selectors match them) and annotations (the HTTP-01 ingress overrides).
  order_.metadata.labels = request.metadata.labels;
  order_.metadata.annotations = request.metadata.annotations;
  if (!marks.account.empty())
    order_.metadata.labels[std::string(ratelimits::kAccountLabel)] = marks.account;
  // Only certmill's word counts: one copied from the request is not kept.
  order_.metadata.annotations.erase(std::string(ratelimits::kRenewalAnnotation));
  if (marks.renewal)
    order_.metadata.annotations[std::string(ratelimits::kRenewalAnnotation)] = "true";
  order_.metadata.owner_references.push_back(request_owner_);
  order_.spec = spec_;
}

namespace {

// cert-manager's Challenge finalizer, for cleaning up its solver pods; no
// cert-manager runs to remove it once certmill has taken over.
constexpr std::string_view kChallengeFinalizer = "finalizer.acme.cert-manager.io";

}  // namespace

asio::awaitable<void> AcmeOrderObjects::order_created(std::string url,
                                                      certmill::acme::Order order) {
  // When the CA counted the order, at the latest, for a restarted
  // controller's budgets (past_orders.hpp).
  if (!order_written_)
    order_.metadata.annotations[std::string(ratelimits::kPlacedAnnotation)] =
        format_time(std::chrono::ceil<std::chrono::seconds>(clock_.now()));
  log::debug("an ACME order reports its URL", {{"order", namespace_ + "/" + order_.metadata.name},
                                               {"url", url},
                                               {"written", order_written_ ? "yes" : "no"}});
  order_.status.url = std::move(url);
  order_.status.finalize_url = order.finalize;
  order_.status.state = api::AcmeState::Pending;
  order_.status.authorizations.clear();
  for (const std::string& authz : order.authorizations)
    order_.status.authorizations.push_back(api::ACMEAuthorization{authz, {}, {}, {}, {}});
  co_await write_order_status();
}

asio::awaitable<void> AcmeOrderObjects::challenge_started(
    std::string authorization_url, certmill::acme::Authorization authorization,
    certmill::acme::Challenge challenge, std::string key_authorization) {
  const std::string dns_name =
      (authorization.wildcard ? "*." : "") + authorization.identifier.value;
  for (auto& entry : order_.status.authorizations) {
    if (entry.url != authorization_url)
      continue;
    entry.identifier = authorization.identifier.value;
    entry.wildcard = authorization.wildcard;
    entry.initial_state = api::AcmeState::Pending;
    entry.challenges.clear();
    for (const auto& offered : authorization.challenges)
      entry.challenges.push_back({offered.url, offered.token, offered.type});
  }
  if (!order_written_)
    co_return;  // no Order to own it

  api::Challenge object;
  object.metadata.namespace_ = namespace_;
  const auto earlier = earlier_challenges_.find(challenge.url);
  object.metadata.name = earlier != earlier_challenges_.end()
                             ? earlier->second
                             : challenge_name(order_.metadata.name, challenge.url);
  object.metadata.owner_references.push_back(
      {"acme.cert-manager.io/v1", "Order", order_.metadata.name, order_.metadata.uid, true, true});
  object.spec.url = challenge.url;
  object.spec.authorization_url = authorization_url;
  object.spec.dns_name = authorization.identifier.value;
  object.spec.wildcard = authorization.wildcard;
  // The order only presents challenges its solver chose, of a type certmill has.
  const api::AcmeChallengeType type[] = {
      api::challenge_type_of_rfc8555(challenge.type).value_or(api::AcmeChallengeType::HTTP01)};
  object.spec.type = type[0];
  object.spec.token = challenge.token;
  object.spec.key = std::move(key_authorization);
  object.spec.issuer_ref = spec_.issuer_ref;
  if (auto chosen = solvers::select_solver(solvers_, order_.metadata.labels, dns_name, type)) {
    auto solver =
        solvers::with_ingress_overrides(solvers_.at(chosen->index), order_.metadata.annotations);
    if (!solver) {
      log_failure("a Challenge's solver cannot be built", object, solver.error());
      co_return;
    }
    object.spec.solver = std::move(*solver);
  }
  auto created = co_await client_.create(object);
  if (!created && k8s::is_conflict(created.error()))
    created = co_await client_.get<api::Challenge>(namespace_, object.metadata.name);
  if (created && std::erase(created->metadata.finalizers, kChallengeFinalizer) > 0)
    created = co_await client_.update(*created);
  if (!created) {
    log_failure("a Challenge object could not be written", object, created.error());
    co_return;
  }
  created->status.processing = true;
  created->status.presented = true;
  created->status.state = api::AcmeState::Pending;
  auto written = co_await client_.update_status(*created);
  if (!written) {
    log_failure("a Challenge's status could not be written", object, written.error());
    co_return;
  }
  export_status(*written);
  co_await record_started(*written);
  co_await open_route(*written);
  challenges_[challenge.url] = std::move(*written);
}

asio::awaitable<void> AcmeOrderObjects::challenge_waiting(certmill::acme::Challenge challenge,
                                                          std::string reason) {
  auto it = challenges_.find(challenge.url);
  if (it == challenges_.end() || it->second.status.reason == reason)
    co_return;  // the same wait as last time: nothing new to write or log
  api::Challenge& object = it->second;
  log::warn("propagation check failed", {{"challenge", namespace_ + "/" + object.metadata.name},
                                         {"dnsName", object.spec.dns_name},
                                         {"reason", reason}});
  object.status.reason = std::move(reason);
  auto written = co_await client_.update_status(object);
  if (!written) {
    log_failure("a waiting Challenge's status could not be written", object, written.error());
    co_return;
  }
  object = std::move(*written);
  export_status(object);
}

asio::awaitable<void> AcmeOrderObjects::challenge_finished(certmill::acme::Challenge challenge,
                                                           std::string state, std::string reason) {
  auto it = challenges_.find(challenge.url);
  if (it == challenges_.end())
    co_return;
  api::Challenge& object = it->second;
  co_await close_route(object);
  if (state == "valid") {
    co_await record_verified(object);
    // Solved: nothing left to inspect (cert-manager removes them too).
    auto removed = co_await client_.remove<api::Challenge>(namespace_, object.metadata.name);
    if (!removed && !k8s::is_not_found(removed.error()))
      log_failure("a solved Challenge could not be removed", object, removed.error());
    else
      forget_status(object);
    challenges_.erase(it);
    co_return;
  }
  // The CA decided against it; "errored" (the CA never decided) has no
  // Event in cert-manager.
  if (state == "invalid")
    co_await record_failed(object, reason);
  object.status.processing = false;
  object.status.presented = false;
  object.status.state = state_named(state);
  object.status.reason = std::move(reason);
  auto written = co_await client_.update_status(object);
  if (!written) {
    log_failure("a failed Challenge's status could not be written", object, written.error());
    co_return;
  }
  object = std::move(*written);
  export_status(object);
}

asio::awaitable<void> AcmeOrderObjects::order_state(std::string state, std::string reason) {
  order_.status.state = state_named(state);
  order_.status.reason = std::move(reason);
  if (state == "invalid" || state == "errored")
    order_.status.failure_time = std::chrono::floor<std::chrono::seconds>(clock_.now());
  co_await write_order_status();
}

asio::awaitable<void> AcmeOrderObjects::write_order_status() {
  if (!order_written_) {
    api::Order fresh = order_;
    fresh.status = {};
    auto created = co_await client_.create(fresh);
    if (!created && k8s::is_conflict(created.error()))
      created = co_await client_.get<api::Order>(namespace_, order_.metadata.name);
    if (!created) {
      log_failure("an Order object could not be written", order_, created.error());
      co_return;
    }
    order_.metadata = created->metadata;
    order_written_ = true;
  }
  auto written = co_await client_.update_status(order_);
  if (!written) {
    log_failure("an Order's status could not be written", order_, written.error());
    co_return;
  }
  order_.metadata = std::move(written->metadata);
}

}  // namespace certmill::controller
