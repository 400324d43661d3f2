// One decision per reconcile: the issuance step, then Ready, then what changed.
#include "controller/certificate_reconciler.hpp"

#include <algorithm>

#include "controller/certificate_checks.hpp"
#include "controller/go_format.hpp"
#include "controller/issuance_blocker.hpp"
#include "core/time.hpp"

namespace certmill::controller {

namespace {

using api::ConditionStatus;

constexpr const char* issued_message = "The certificate has been successfully issued";
constexpr const char* ready_message = "Certificate is up to date and has not expired";

api::Condition make_condition(const ConditionView& have, std::string type, ConditionStatus status,
                              Verdict verdict, const CertificateView& crt, Time now) {
  // lastTransitionTime moves only when the status does.
  const bool same = have.present && have.status == status && have.last_transition_time;
  return api::Condition{std::move(type),
                        status,
                        std::move(verdict.reason),
                        std::move(verdict.message),
                        same ? *have.last_transition_time : now,
                        crt.generation};
}

// Durations are nanoseconds; API times are whole seconds: never wake early.
Time after(Time t, Duration d) {
  return std::chrono::ceil<std::chrono::seconds>(t + d);
}

void earliest(std::optional<Time>& at, Time candidate, Time now) {
  if (candidate > now && (!at || candidate < *at))
    at = candidate;
}

bool request_outdated(const CertificateView& crt, const RequestView& req) {
  if (!req.asks)
    return true;
  return !spec_mismatches(crt.want, *req.asks).empty() ||
         !(with_defaults(req.issuer_ref) == with_defaults(crt.issuer_ref)) ||
         (req.duration && crt.duration && *req.duration != *crt.duration);
}

// The request's failure predates this attempt: left over from the last one.
bool stale_failure(const CertificateView& crt, const RequestView& req) {
  return req.failure_time && crt.issuing.last_transition_time &&
         *req.failure_time < *crt.issuing.last_transition_time;
}

struct Working {
  Decision decision;
  StatusUpdate status;
  std::optional<Verdict> not_ready;
  std::optional<api::Condition> issuing;
  // The renewal time in status is the desired one: spec.renewal.windows has
  // none open before notAfter.
  bool no_window = false;
};

void set_validity(Working& w, const CertificateView& crt, const IssuedFacts* cert,
                  std::optional<Time> suggested = std::nullopt) {
  w.no_window = false;
  if (!cert) {
    w.status.not_before = w.status.not_after = w.status.renewal_time = std::nullopt;
    return;
  }
  w.status.not_before = cert->not_before;
  w.status.not_after = cert->not_after;
  SecretView as_secret;
  as_secret.cert = *cert;
  const auto renewal = secret_renewal(crt, &as_secret, suggested);
  w.status.renewal_time = renewal ? std::optional<Time>(renewal->at) : std::nullopt;
  w.no_window = renewal && renewal->no_window;
}

// cert-manager says WindowError in a Ready=False condition it then never
// clears; certmill keeps Ready as the Secret deserves and warns once per
// renewal time and per spec generation: the status write that records the
// time, or acknowledges the generation, carries the Event.
void warn_no_window(Working& w, const CertificateView& crt) {
  const bool news =
      w.status.renewal_time != crt.renewal_time || crt.ready.observed_generation != crt.generation;
  if (!w.no_window || !news)
    return;
  w.decision.events.push_back({"Warning", std::string(kWindowError),
                               "No renewal window opens between the desired renewal time " +
                                   format_time(*w.status.renewal_time) +
                                   " and the certificate's notAfter " +
                                   format_time(*w.status.not_after) + ": renewing at " +
                                   format_time(*w.status.renewal_time) +
                                   ", outside the windows, so that it does not "
                                   "expire"});
}

void fail(Working& w, const CertificateState& in, const RequestView& req) {
  const CertificateView& crt = in.certificate;
  const int32_t attempts = crt.failed_issuance_attempts.value_or(0) + 1;
  const std::string message =
      "The certificate request has failed to complete and will be retried: " + req.message.get();
  w.status.failed_issuance_attempts = attempts;
  w.status.last_failure_time = in.now;
  w.status.next_private_key_secret_name.clear();
  w.issuing = make_condition(crt.issuing, "Issuing", ConditionStatus::False,
                             {req.reason.str(), message}, crt, in.now);
  w.decision.events.push_back({"Warning", req.reason.str(), message});
  earliest(w.decision.requeue_at, after(in.now, issuance_delay(attempts, in.backoff)), in.now);
}

void store(Working& w, const CertificateState& in, const RequestView& req, int32_t revision) {
  const CertificateView& crt = in.certificate;
  w.decision.action = Action::StoreIssued;
  w.decision.revision = revision;
  w.status.revision = revision;
  w.status.failed_issuance_attempts = std::nullopt;
  w.status.last_failure_time = std::nullopt;
  w.status.next_private_key_secret_name.clear();
  w.issuing = make_condition(crt.issuing, "Issuing", ConditionStatus::False,
                             {"Issued", issued_message}, crt, in.now);
  w.decision.events.push_back({"Normal", "Issuing", issued_message});
  // The Secret is about to hold this certificate: judge readiness by it now,
  // so completion is one status write rather than two.
  set_validity(w, crt, req.issued ? &*req.issued : nullptr);
  w.not_ready = std::nullopt;
  if (req.issued && in.now > req.issued->not_after)
    w.not_ready = Verdict{"Expired", "Certificate expired on " + go_rfc1123(req.issued->not_after)};
}

// Issuing=True: follow the request for the next revision.
void follow_issuance(Working& w, const CertificateState& in, const std::optional<Verdict>& block) {
  const CertificateView& crt = in.certificate;
  const int32_t revision = crt.revision.value_or(0) + 1;
  const RequestView* req = in.next_request;
  if (block)
    return;
  if (!req || request_outdated(crt, *req) ||
      (req->state != RequestState::Pending && req->state != RequestState::Issued &&
       stale_failure(crt, *req))) {
    w.decision.action = Action::Issue;
    w.decision.revision = revision;
    return;
  }
  switch (req->state) {
    case RequestState::Issued:
      store(w, in, *req, revision);
      return;
    case RequestState::Failed:
    case RequestState::Denied:
    case RequestState::InvalidRequest:
      fail(w, in, *req);
      return;
    case RequestState::Pending:
      return;
  }
}

// When the trigger may be the last issuance's own doing, the time before
// which it is not issued again: the Secret holds exactly what the current
// revision issued, for the spec as it is now, and that ended less than
// min_reissue_interval ago. A changed spec, or a Secret deleted or changed by
// someone else, is issued at once, as cert-manager does.
std::optional<Time> reissue_not_before(const CertificateState& in) {
  const CertificateView& crt = in.certificate;
  const ConditionView& issuing = crt.issuing;
  const bool own_issuance = in.secret && in.secret->cert && in.current_request &&
                            in.current_request->issued &&
                            *in.secret->cert == *in.current_request->issued;
  if (!own_issuance || !issuing.present || issuing.status != ConditionStatus::False ||
      !issuing.last_transition_time || issuing.observed_generation != crt.generation)
    return std::nullopt;
  const Time at = after(*issuing.last_transition_time, in.backoff.min_reissue_interval);
  return in.now < at ? std::optional<Time>(at) : std::nullopt;
}

// Not issuing: back off after failures, else ask the trigger chain.
void consider_issuance(Working& w, const CertificateState& in, const CheckInput& check,
                       const std::optional<Verdict>& block) {
  const CertificateView& crt = in.certificate;
  w.status.next_private_key_secret_name.clear();
  // A spec that moved on since the failed request is retried at once.
  const bool spec_changed = in.next_request && request_outdated(crt, *in.next_request);
  if (crt.last_failure_time && !spec_changed) {
    const Time retry_at =
        after(*crt.last_failure_time, issuance_delay(crt.failed_issuance_attempts, in.backoff));
    if (in.now < retry_at) {
      earliest(w.decision.requeue_at, retry_at, in.now);
      return;
    }
  }
  std::optional<Verdict> trigger = trigger_violation(check);
  if (!trigger) {
    if (auto renew_at = secret_renewal_time(crt, in.secret, in.suggested_renewal))
      earliest(w.decision.requeue_at, *renew_at, in.now);
    if (auto off = secret_data_violation(crt, *in.secret, in.owner_ref)) {
      w.decision.action = Action::RepairSecret;
      w.decision.why = off->reason + ": " + off->message;
    }
    return;
  }
  if (block) {
    w.issuing = make_condition(crt.issuing, "Issuing", ConditionStatus::False, *block, crt, in.now);
    return;
  }
  if (const auto not_before = reissue_not_before(in)) {
    earliest(w.decision.requeue_at, *not_before, in.now);
    return;
  }
  w.decision.action = Action::Issue;
  w.decision.revision = crt.revision.value_or(0) + 1;
  w.decision.events.push_back({"Normal", "Issuing", trigger->message});
  w.issuing = make_condition(crt.issuing, "Issuing", ConditionStatus::True, std::move(*trigger),
                             crt, in.now);
}

bool differs(const CertificateView& crt, const StatusUpdate& s) {
  return !s.conditions.empty() || s.not_before != crt.not_before || s.not_after != crt.not_after ||
         s.renewal_time != crt.renewal_time || s.revision != crt.revision ||
         s.failed_issuance_attempts != crt.failed_issuance_attempts ||
         s.last_failure_time != crt.last_failure_time ||
         s.next_private_key_secret_name != crt.rare.get().next_private_key_secret_name;
}

}  // namespace

Decision reconcile_certificate(const CertificateState& in) {
  const CertificateView& crt = in.certificate;
  if (crt.deleting)
    return {};
  Working w;
  w.status.revision = crt.revision;
  w.status.failed_issuance_attempts = crt.failed_issuance_attempts;
  w.status.last_failure_time = crt.last_failure_time;
  w.status.next_private_key_secret_name = crt.rare.get().next_private_key_secret_name;
  set_validity(w, crt, in.secret && in.secret->cert ? &*in.secret->cert : nullptr,
               in.suggested_renewal);

  const CheckInput check{crt, in.secret, in.current_request, in.now, in.suggested_renewal};
  w.not_ready = readiness_violation(check);
  static const std::optional<std::string> no_owner;
  const std::optional<Verdict> block = issuance_blocker(
      {crt, in.issuer, in.duplicates, in.secret ? in.secret->certificate_name : no_owner});

  if (block && block->reason == kInvalidSpec) {
    // Nothing is issued, stored or repaired for a spec the webhook would have
    // refused (a secretTemplate could spoof the Secret's annotations); it
    // says why until the spec changes, and is not looked at again before.
    w.not_ready = block;
    if (crt.issuing.present && crt.issuing.status == ConditionStatus::True)
      w.issuing =
          make_condition(crt.issuing, "Issuing", ConditionStatus::False, *block, crt, in.now);
    w.decision.requeue_at.reset();
  } else if (crt.issuing.present && crt.issuing.status == ConditionStatus::True) {
    follow_issuance(w, in, block);
  } else {
    consider_issuance(w, in, check, block);
  }

  const bool stored = w.decision.action == Action::StoreIssued;
  Verdict ready_verdict =
      w.not_ready ? (block && !stored ? *block : *w.not_ready) : Verdict{"Ready", ready_message};
  const ConditionStatus ready_status = w.not_ready ? ConditionStatus::False : ConditionStatus::True;
  if (w.status.not_after && !w.not_ready)
    earliest(w.decision.requeue_at, *w.status.not_after + std::chrono::seconds(1), in.now);

  api::Condition ready =
      make_condition(crt.ready, "Ready", ready_status, std::move(ready_verdict), crt, in.now);
  if (condition_differs(crt.ready, ready)) {
    if (block && ready.reason == block->reason)
      w.decision.events.push_back({"Warning", ready.reason, ready.message});
    w.status.conditions.push_back(std::move(ready));
  }
  if (w.issuing && condition_differs(crt.issuing, *w.issuing)) {
    const EventNote note{"Warning", w.issuing->reason, w.issuing->message};
    // One Event for one cause, though it sets both conditions.
    if (block && w.issuing->reason == block->reason &&
        std::find(w.decision.events.begin(), w.decision.events.end(), note) ==
            w.decision.events.end())
      w.decision.events.push_back(note);
    w.status.conditions.push_back(std::move(*w.issuing));
  }
  warn_no_window(w, crt);
  if (differs(crt, w.status))
    w.decision.status = std::move(w.status);
  return std::move(w.decision);
}

}  // namespace certmill::controller
