// Each rule in the webhook's order, then the syntax checks.
#include "controller/certificate_validation.hpp"

#include <arpa/inet.h>
#include <set>

#include "controller/name_syntax.hpp"
#include "controller/renewal_schedule.hpp"
#include "core/duration.hpp"
#include "core/schedule/cron.hpp"
#include "core/schedule/zones.hpp"

namespace certmill::controller {

namespace {

// Go's strconv.Quote for the values these rules print.
std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + '"';
}

struct Errors {
  std::vector<std::string> list;

  void required(const std::string& field, const std::string& detail) {
    list.push_back(field + ": Required value: " + detail);
  }
  void invalid(const std::string& field, const std::string& value, const std::string& detail) {
    list.push_back(field + ": Invalid value: " + value + ": " + detail);
  }
  void forbidden(const std::string& field, const std::string& detail) {
    list.push_back(field + ": Forbidden: " + detail);
  }
};

std::string at(const std::string& field, std::size_t index) {
  return field + "[" + std::to_string(index) + "]";
}

// Not a webhook rule but certmill's own bound: X.509 sets none, but a
// certificate with thousands of names is a mistake or an attack on whoever
// parses it, and public CAs refuse far fewer (Let's Encrypt: 100).
constexpr std::size_t kMaxNames = 1000;
// A spec with a thousand bad names says so in a message that fits a status.
constexpr std::size_t kMaxErrorsShown = 10;

void validate_names(const api::CertificateSpec& spec, Errors& e) {
  const std::size_t names = spec.dns_names.size() + spec.ip_addresses.size() + spec.uris.size() +
                            spec.email_addresses.size() + spec.other_names.size();
  if (names > kMaxNames) {
    e.list.push_back("spec: Too many: " + std::to_string(names) + ": must have at most " +
                     std::to_string(kMaxNames) +
                     " subject alternative names (dnsNames, ipAddresses, uris, emailAddresses "
                     "and otherNames together)");
  }
  const std::string& cn = spec.common_name;
  if (cn.empty() && spec.literal_subject.empty() && spec.dns_names.empty() && spec.uris.empty() &&
      spec.email_addresses.empty() && spec.ip_addresses.empty() && spec.other_names.empty()) {
    e.invalid("spec", "\"\"",
              "at least one of commonName (from the commonName field or from a literalSubject), "
              "dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set");
  }
  if (cn.size() > 64)
    e.list.push_back("spec.commonName: Too long: may not be more than 64 bytes");
  for (std::size_t i = 0; i < spec.ip_addresses.size(); ++i) {
    if (!parses_as_ip(spec.ip_addresses[i]))
      e.invalid(at("spec.ipAddresses", i), quoted(spec.ip_addresses[i]), "invalid IP address");
  }
  for (std::size_t i = 0; i < spec.email_addresses.size(); ++i) {
    if (std::string problem = email_problem(spec.email_addresses[i]); !problem.empty())
      e.invalid(at("spec.emailAddresses", i), quoted(spec.email_addresses[i]), problem);
  }
  for (std::size_t i = 0; i < spec.dns_names.size(); ++i) {
    if (std::string problem = dns_name_problem(spec.dns_names[i]); !problem.empty())
      e.invalid(at("spec.dnsNames", i), quoted(spec.dns_names[i]), "a DNS name " + problem);
  }
  for (std::size_t i = 0; i < spec.uris.size(); ++i) {
    if (!parses_as_uri(spec.uris[i]))
      e.invalid(at("spec.uris", i), quoted(spec.uris[i]),
                "invalid URI: it needs a scheme (such as spiffe:) and no spaces");
  }
}

// X.509's upper bounds on the subject's attributes (RFC 5280, appendix A).
void validate_subject(const api::CertificateSpec& spec, Errors& e) {
  if (!spec.subject)
    return;
  const api::X509Subject& s = *spec.subject;
  auto bounded = [&](const std::vector<std::string>& values, const char* field, std::size_t most) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i].empty() || values[i].size() > most)
        e.invalid(at(std::string("spec.subject.") + field, i), quoted(values[i]),
                  "must be 1 to " + std::to_string(most) + " characters (RFC 5280)");
    }
  };
  for (std::size_t i = 0; i < s.countries.size(); ++i) {
    if (s.countries[i].size() != 2)
      e.invalid(at("spec.subject.countries", i), quoted(s.countries[i]),
                "must be a two-letter ISO 3166 country code");
  }
  bounded(s.organizations, "organizations", 64);
  bounded(s.organizational_units, "organizationalUnits", 64);
  bounded(s.localities, "localities", 128);
  bounded(s.provinces, "provinces", 128);
  bounded(s.street_addresses, "streetAddresses", 128);
  bounded(s.postal_codes, "postalCodes", 40);
  if (s.serial_number.size() > 64)
    e.invalid("spec.subject.serialNumber", quoted(s.serial_number),
              "must be at most 64 characters (RFC 5280)");
}

void validate_key(const api::CertificateSpec& spec, Errors& e) {
  if (!spec.private_key || spec.private_key->size <= 0)
    return;
  const int32_t size = spec.private_key->size;
  switch (spec.private_key->algorithm.value_or(api::PrivateKeyAlgorithm::RSA)) {
    case api::PrivateKeyAlgorithm::RSA:
      if (size < 2048 || size > 8192)
        e.invalid("spec.privateKey.size", std::to_string(size),
                  "must be between 2048 and 8192 for rsa keyAlgorithm");
      break;
    case api::PrivateKeyAlgorithm::ECDSA:
      if (size != 256 && size != 384 && size != 521)
        e.list.push_back("spec.privateKey.size: Unsupported value: " + std::to_string(size) +
                         ": supported values: \"256\", \"384\", \"521\"");
      break;
    case api::PrivateKeyAlgorithm::Ed25519:
      break;
  }
}

void validate_durations(const api::CertificateSpec& spec, Errors& e) {
  constexpr Duration kMinimumDuration = std::chrono::hours(1);
  constexpr Duration kMinimumRenewBefore = std::chrono::minutes(5);
  if (!spec.duration && !spec.renew_before)
    return;
  const Duration duration = spec.duration.value_or(std::chrono::hours(24 * 90));
  if (duration < kMinimumDuration)
    e.invalid("spec.duration", format_duration_go(duration),
              "certificate duration must be greater than " + format_duration_go(kMinimumDuration));
  if (spec.renew_before && spec.renew_before_percentage) {
    const char* both =
        "renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set";
    e.invalid("spec.renewBefore", format_duration_go(*spec.renew_before), both);
    e.invalid("spec.renewBeforePercentage", std::to_string(*spec.renew_before_percentage), both);
  }
  if (spec.renew_before && *spec.renew_before < kMinimumRenewBefore)
    e.invalid(
        "spec.renewBefore", format_duration_go(*spec.renew_before),
        "certificate renewBefore must be greater than " + format_duration_go(kMinimumRenewBefore));
  if (spec.renew_before && *spec.renew_before >= duration)
    e.invalid("spec.renewBefore", format_duration_go(*spec.renew_before),
              "certificate duration " + format_duration_go(duration) +
                  " must be greater than renewBefore " + format_duration_go(*spec.renew_before));
  if (spec.renew_before_percentage) {
    const int32_t percent = *spec.renew_before_percentage;
    const Duration renew_before = duration * (100 - percent) / 100;
    if (renew_before < kMinimumRenewBefore)
      e.invalid("spec.renewBeforePercentage", std::to_string(percent),
                "certificate renewBeforePercentage must result in a renewBefore greater than " +
                    format_duration_go(kMinimumRenewBefore));
    if (renew_before >= duration)
      e.invalid("spec.renewBeforePercentage", std::to_string(percent),
                "certificate renewBeforePercentage must result in a renewBefore less than "
                "duration");
  }
}

void validate_keystore(const std::optional<api::KeystoreOptions>& keystore, const char* field,
                       const char* name, Errors& e) {
  if (!keystore)
    return;
  const bool secret = keystore->password_secret_ref && !keystore->password_secret_ref->name.empty();
  const bool literal = !keystore->password.empty();
  const std::string path = std::string("spec.keystores.") + field;
  if (secret && literal)
    e.forbidden(path, std::string("exactly one of passwordSecretRef and password must be "
                                  "provided for ") +
                          name + " keystores; cannot set both");
  if (!secret && !literal)
    e.forbidden(path, std::string("must set exactly one of passwordSecretRef and password must "
                                  "for ") +
                          name + " keystores");
}

// spec.renewal (cert-manager v1.21): the webhook's enum and the parse of
// each window, said per window, as certmill is what parses them.
void validate_renewal(const api::CertificateSpec& spec, Errors& e) {
  if (!spec.renewal)
    return;
  const api::CertificateRenewal& renewal = *spec.renewal;
  if (!renewal.policy.empty() && renewal.policy != "RenewBefore" && renewal.policy != "Disabled")
    e.list.push_back("spec.renewal.policy: Unsupported value: " + quoted(renewal.policy) +
                     ": supported values: \"RenewBefore\", \"Disabled\"");
  if (renewal.policy == "Disabled" && !renewal.windows.empty())
    e.forbidden("spec.renewal.windows", "windows must not be set when policy is Disabled");
  for (std::size_t i = 0; i < renewal.windows.size(); ++i) {
    const api::RenewalWindowSpec& window = renewal.windows[i];
    const std::string path = at("spec.renewal.windows", i);
    if (window.cron.empty())
      e.required(path + ".cron", "must be specified");
    else if (auto cron = schedule::Cron::parse(window.cron); !cron)
      e.invalid(path + ".cron", quoted(window.cron), cron.error().message());
    if (auto zone = schedule::system_zones().load(window_zone(window)); !zone)
      e.invalid(path + ".timezone", quoted(window.timezone), zone.error().message());
    if (!window.window_duration)
      e.required(path + ".windowDuration", "must be specified");
    else if (*window.window_duration <= Duration::zero())
      e.invalid(path + ".windowDuration", format_duration_go(*window.window_duration),
                "must be greater than 0s");
  }
}

}  // namespace

std::vector<std::string> certificate_spec_errors(const api::CertificateSpec& spec) {
  Errors e;
  if (spec.secret_name.empty())
    e.required("spec.secretName", "must be specified");
  if (spec.issuer_ref.name.empty())
    e.required("spec.issuerRef.name", "must be specified");
  validate_names(spec, e);
  validate_key(spec, e);
  validate_durations(spec, e);
  if (spec.revision_history_limit && *spec.revision_history_limit < 1)
    e.invalid("spec.revisionHistoryLimit", std::to_string(*spec.revision_history_limit),
              "must not be less than 1");
  if (spec.secret_template) {
    for (const auto& [annotation, value] : spec.secret_template->annotations) {
      if (annotation.starts_with("cert-manager.io/") &&
          annotation != "cert-manager.io/allow-direct-injection")
        e.invalid("spec.secretTemplate.annotations", quoted(annotation),
                  "cert-manager.io/* annotations are not allowed");
    }
  }
  if (spec.name_constraints) {
    if (!spec.is_ca)
      e.invalid("spec.nameConstraints", "{...}", "isCa should be true when nameConstraints is set");
    if (!spec.name_constraints->permitted && !spec.name_constraints->excluded)
      e.invalid("spec.nameConstraints", "{...}", "either permitted or excluded must be set");
  }
  std::set<api::OutputFormat> formats;
  for (const api::AdditionalOutputFormat& format : spec.additional_output_formats) {
    if (!formats.insert(format.type).second)
      e.list.push_back(std::string("spec.additionalOutputFormats[type]: Duplicate value: ") +
                       (format.type == api::OutputFormat::DER ? "\"DER\"" : "\"CombinedPEM\""));
  }
  if (spec.keystores) {
    validate_keystore(spec.keystores->jks, "jks", "JKS", e);
    validate_keystore(spec.keystores->pkcs12, "pkcs12", "PKCS#12", e);
  }
  validate_subject(spec, e);
  validate_renewal(spec, e);
  return std::move(e.list);
}

std::string aggregate_errors(const std::vector<std::string>& errors) {
  if (errors.size() == 1)
    return errors.front();
  std::string out = "[";
  for (std::size_t i = 0; i < errors.size() && i < kMaxErrorsShown; ++i)
    out += (i == 0 ? "" : ", ") + errors[i];
  if (errors.size() > kMaxErrorsShown)
    out += ", and " + std::to_string(errors.size() - kMaxErrorsShown) + " more";
  return out + "]";
}

}  // namespace certmill::controller
