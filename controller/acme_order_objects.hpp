// The Order and Challenge objects (acme.cert-manager.io/v1) of one
// CertificateRequest's ACME order, written as the order reports its steps, so
// `kubectl get order,challenge` and `kubectl describe` show where an issuance
// stands and why it failed: the Order owned by the request, a Challenge per
// authorization being solved owned by the Order. A Challenge goes when its
// authorization is valid, as cert-manager cleans them up; a failed one stays
// with its reason, and one whose self-check has not passed says what the
// check saw ("Waiting for HTTP-01 challenge propagation: ...").
// While a challenge is out, its solver's route to certmill's
// HTTP-01 listener exists: a solver Ingress, a path in the user's Ingress
// (edit in place), or an HTTPRoute; it goes when the challenge is decided.
// In a cluster (a pod IP is known) the route leads to a Service and an
// EndpointSlice of the Challenge's own, naming this pod; they are owned by
// the Challenge and go with it.
// The request's annotations are the Order's too, as cert-manager copies
// them, and its HTTP-01 ingress overrides apply to each Challenge's solver.
// Each Challenge gets the Events cert-manager records on one (Started,
// Presented or PresentError, DomainVerified, Failed), and its status is
// exported as certmanager_certificate_challenge_status after each status
// write, its series removed with it (challenge_metrics.hpp).
// A write that fails is logged; the order goes on.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/metrics.hpp"
#include "core/api/acme.hpp"
#include "core/api/certificate.hpp"
#include "core/api/issuer.hpp"
#include "core/log.hpp"
#include "issuers/acme/order_observer.hpp"
#include "k8s/client.hpp"
#include "k8s/events.hpp"
#include "reactor/clock.hpp"
#include "solvers/http01/solver_endpoint.hpp"
#include "solvers/http01/solver_meta.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

// A write about `object` that failed, logged: these objects are a report for
// people, so a failure costs the report, not the order.
template <class T>
void log_failure(const char* what, const T& object, const Error& error) {
  log::warn(what, {{"object", object.metadata.namespace_ + "/" + object.metadata.name},
                   {"error", error.message()}});
}

// Where Challenges' status series go: `metrics`' table of `shard`, the
// shard that owns the request's Certificate, kept under that Certificate
// ("namespace/name") so they go with it. None when `metrics` is null.
struct ChallengeStatusMetrics {
  Metrics* metrics = nullptr;
  unsigned shard = 0;
  std::string certificate = {};
};

// What a restarted controller counts an account's spending again from
// (core/ratelimits/past_orders.hpp): the account's label, and whether the
// order renews the same names. Empty for an issuer without rate limits.
struct RateLimitMarks {
  std::string account = {};
  bool renewal = false;
};

class AcmeOrderObjects : public issuers::acme::OrderObserver {
 public:
  // `request` as stored (its name, uid and spec); `solvers` the issuer's, to
  // record which one each Challenge uses.
  // `service`: the Service in each Challenge's namespace that leads to
  // certmill's HTTP-01 listener, for solver routes; `pod`, when its IP is
  // set, this pod, for a Service and EndpointSlice per Challenge instead.
  AcmeOrderObjects(k8s::Client& client, reactor::Clock& clock,
                   const api::CertificateRequest& request,
                   std::vector<api::ACMEChallengeSolver> solvers, solvers::SolverService service,
                   solvers::PodEndpoint pod = {}, std::string replaces = {},
                   ChallengeStatusMetrics status_metrics = {}, RateLimitMarks marks = {});

  // An Order owned by `request` that an earlier controller (cert-manager,
  // before a take-over) left with a URL and not failed: this object goes on
  // writing it, and its Challenges by challenge URL. Its URL, to continue
  // the order from; nullopt when there is none.
  asio::awaitable<std::optional<std::string>> adopt_earlier_order(
      const api::CertificateRequest& request);

  asio::awaitable<void> order_created(std::string url, certmill::acme::Order order) override;
  asio::awaitable<void> challenge_started(std::string authorization_url,
                                          certmill::acme::Authorization authorization,
                                          certmill::acme::Challenge challenge,
                                          std::string key_authorization) override;
  asio::awaitable<void> challenge_waiting(certmill::acme::Challenge challenge,
                                          std::string reason) override;
  asio::awaitable<void> challenge_finished(certmill::acme::Challenge challenge, std::string state,
                                           std::string reason) override;
  asio::awaitable<void> order_state(std::string state, std::string reason) override;
  // cert-manager's Presented Event on the Challenge, or PresentError.
  asio::awaitable<void> challenge_presented(certmill::acme::Challenge challenge,
                                            std::string error) override;

  // cert-manager's names: the request's name and a hash of what the order
  // asks for; a Challenge's, the Order's and a hash of its challenge URL.
  static std::string order_name(const std::string& request_name, const api::OrderSpec& spec);
  static std::string challenge_name(const std::string& order_name, const std::string& url);

 private:
  asio::awaitable<void> write_order_status();
  // The solver's route for `challenge`, and taking it away.
  asio::awaitable<void> open_route(const api::Challenge& challenge);
  asio::awaitable<void> close_route(const api::Challenge& challenge);
  // The Challenge's own Service and EndpointSlice to this pod; the Service
  // its route must name.
  asio::awaitable<solvers::SolverService> open_endpoint(const api::Challenge& challenge);
  // Events on the Challenge, as cert-manager's challenges controller
  // records them (acme_challenge_reports.cpp).
  asio::awaitable<void> record_started(const api::Challenge& challenge);
  asio::awaitable<void> record_verified(const api::Challenge& challenge);
  asio::awaitable<void> record_failed(const api::Challenge& challenge, const std::string& reason);
  asio::awaitable<void> record(const api::Challenge& challenge, std::string type,
                               std::string reason, std::string message);
  // The Challenge's status series as written, and their removal.
  void export_status(const api::Challenge& challenge);
  void forget_status(const api::Challenge& challenge);

  k8s::Client& client_;
  reactor::Clock& clock_;
  std::string namespace_;
  api::OwnerReference request_owner_;
  api::OrderSpec spec_;
  std::vector<api::ACMEChallengeSolver> solvers_;
  solvers::SolverService service_;
  solvers::PodEndpoint pod_;
  // Routes made, by challenge URL: "Ingress/<name>", "HTTPRoute/<name>", or
  // "edit/<name>" for a path added to the user's Ingress.
  std::map<std::string, std::string> routes_;
  api::Order order_;                                       // as last written
  std::map<std::string, api::Challenge> challenges_;       // by challenge URL, as last written
  std::map<std::string, std::string> earlier_challenges_;  // adopted names, by challenge URL
  bool order_written_ = false;
  ChallengeStatusMetrics status_metrics_;
  k8s::EventRecorder events_;
};

}  // namespace certmill::controller
