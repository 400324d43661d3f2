// The layout of a Certificate's status, after cmctl's `status certificate`,
// with a one-line verdict and its causes leading so a failure's reason is on
// the first screen however long the rest is.
#include "tools/certmill/ops/status_report.hpp"

#include "tools/certmill/ops/related_objects.hpp"
#include "tools/certmill/ops/table.hpp"
#include "tools/certmill/ops/tls_facts.hpp"

namespace certmill::ops {

namespace {

// How many Events to show: the latest, since the first screen is for causes.
constexpr std::size_t kEventLines = 10;

class Out {
 public:
  void line(const std::string& text) { text_ += text + "\n"; }
  void field(int indent, std::string_view label, const std::string& value) {
    std::string l(static_cast<std::size_t>(indent), ' ');
    l += std::string(label) + ":";
    if (!value.empty())
      l.append(l.size() < 16 ? 16 - l.size() : 1, ' ');
    line(l + value);
  }
  void raw(const std::string& text) { text_ += text; }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

std::string time_or(const std::optional<Time>& t, Time now, std::string_view none) {
  if (!t)
    return std::string(none);
  return format_time(*t) + " (" + relative_time(*t, now) + ")";
}

void conditions(Out& out, int indent, const std::vector<api::Condition>& cs) {
  if (cs.empty()) {
    out.field(indent, "Conditions", "none");
    return;
  }
  out.field(indent, "Conditions", "");
  for (const auto& c : cs) {
    out.line(std::string(static_cast<std::size_t>(indent + 2), ' ') + c.type + ": " +
             std::string(condition_status_name(c.status)) +
             (c.reason.empty() ? "" : ", Reason: " + c.reason) +
             (c.message.empty() ? "" : ", Message: " + c.message));
  }
}

void certificate_section(Out& out, const api::Certificate& c, Time now) {
  out.field(0, "Name", c.metadata.name);
  out.field(0, "Namespace", c.metadata.namespace_);
  out.field(0, "Created at", time_or(c.metadata.creation_timestamp, now, "unknown"));
  conditions(out, 0, c.status.conditions);
  std::string names;
  for (const auto& n : c.spec.dns_names)
    names += (names.empty() ? "" : ", ") + n;
  if (!c.spec.common_name.empty())
    out.field(0, "Common Name", c.spec.common_name);
  out.field(0, "DNS Names", names.empty() ? "none" : names);
  const auto& ref = c.spec.issuer_ref;
  out.field(0, "Issuer",
            ref.name + " (" + (ref.kind.empty() ? "Issuer" : ref.kind) + ", " +
                (ref.group.empty() ? "cert-manager.io" : ref.group) + ")");
  out.field(0, "Not Before", time_or(c.status.not_before, now, "none"));
  out.field(0, "Not After", time_or(c.status.not_after, now, "none"));
  out.field(0, "Renewal Time", time_or(c.status.renewal_time, now, "none"));
  if (c.status.revision)
    out.field(0, "Revision", std::to_string(*c.status.revision));
  if (c.status.failed_issuance_attempts)
    out.field(
        0, "Failed attempts",
        std::to_string(*c.status.failed_issuance_attempts) +
            (c.status.last_failure_time ? ", last " + time_or(c.status.last_failure_time, now, "")
                                        : ""));
}

void secret_section(Out& out, const api::Certificate& c, const std::optional<api::Secret>& s,
                    Time now) {
  out.field(0, "Secret", c.spec.secret_name);
  if (!s) {
    out.field(2, "Exists", "no");
    return;
  }
  const TlsFacts facts = read_tls_secret(*s);
  out.field(2, "Exists", "yes, type " + facts.type);
  out.field(2, "Private key",
            facts.key.present
                ? facts.key.description + ", " + std::to_string(facts.key.size_bytes) + " bytes"
                : "none");
  if (facts.chain.empty()) {
    out.field(2, "Certificate", facts.chain_error);
    return;
  }
  const auto& leaf = facts.chain.front().info();
  out.field(2, "Issued by", leaf.issuer_text);
  out.field(2, "Valid",
            format_time(leaf.not_before) + " to " + format_time(leaf.not_after) + " (" +
                (leaf.not_after <= now ? "expired " : "expires ") +
                relative_time(leaf.not_after, now) + ")");
  if (facts.key.matches_certificate == false)
    out.field(2, "Key pair", "tls.key does NOT match tls.crt");
}

void request_section(Out& out, const StatusInput& in, Time now) {
  if (!in.request) {
    out.field(0, "CertificateRequest", "none");
    return;
  }
  const auto& r = *in.request;
  out.field(0, "CertificateRequest", r.metadata.name);
  out.field(2, "Created at", time_or(r.metadata.creation_timestamp, now, "unknown"));
  conditions(out, 2, r.status.conditions);
  if (!in.order)
    return;
  const auto& o = *in.order;
  out.field(0, "Order", o.metadata.name);
  out.field(2, "State",
            std::string(acme_state_name(o.status.state)) +
                (o.status.reason.empty() ? "" : ", Reason: " + o.status.reason));
  if (!o.status.url.empty())
    out.field(2, "URL", o.status.url);
  out.field(0, "Challenges", in.challenges.empty() ? "none" : "");
  for (const auto& ch : in.challenges) {
    out.line("- " + ch.metadata.name + ": " + std::string(api::challenge_type_name(ch.spec.type)) +
             " for " + ch.spec.dns_name + ", state " +
             std::string(acme_state_name(ch.status.state)) +
             ", presented: " + (ch.status.presented ? "yes" : "no") +
             ", processing: " + (ch.status.processing ? "yes" : "no"));
    if (!ch.status.reason.empty())
      out.line("  Reason: " + ch.status.reason);
  }
}

void events_section(Out& out, const std::vector<api::Event>& events, Time now) {
  if (events.empty()) {
    out.field(0, "Events", "none");
    return;
  }
  out.field(0, "Events", "");
  std::vector<Row> rows;
  const std::size_t first = events.size() > kEventLines ? events.size() - kEventLines : 0;
  for (std::size_t i = first; i < events.size(); ++i) {
    const auto& e = events[i];
    const auto t = event_time(e);
    rows.push_back({"  " + e.type, e.reason, t ? human_duration(now - *t) : "unknown",
                    e.involved_object.kind + "/" + e.involved_object.name, e.message});
  }
  out.raw(format_table({"  TYPE", "REASON", "AGE", "OBJECT", "MESSAGE"}, rows));
}

}  // namespace

StatusReport status_report(const StatusInput& in, Time now, const Paint& paint) {
  const Verdict verdict = status_verdict(in, now);
  Out out;
  out.line(paint(verdict.well ? Colour::green : Colour::red, verdict.headline));
  const std::string label = paint(Colour::yellow, verdict.well ? "renewing:" : "because");
  for (const auto& cause : verdict.causes)
    out.line("  " + label + " " + cause);
  out.line("");
  certificate_section(out, in.certificate, now);
  secret_section(out, in.certificate, in.secret, now);
  request_section(out, in, now);
  events_section(out, in.events, now);
  return {.text = out.take(), .well = verdict.well};
}

}  // namespace certmill::ops
