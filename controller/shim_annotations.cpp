// Annotation parsing, one annotation at a time, in cert-manager's order.
#include "controller/shim_annotations.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "controller/csv_record.hpp"
#include "controller/secret_template_annotation.hpp"
#include "core/api/codec.hpp"
#include "core/json/writer.hpp"

namespace certmill::controller {

namespace {

constexpr std::string_view prefix = "cert-manager.io/";

const std::string* find(const api::StringMap& annotations, std::string_view name) {
  auto it = annotations.find(std::string(prefix) + std::string(name));
  return it == annotations.end() ? nullptr : &it->second;
}

Error invalid(std::string_view name, const std::string& why) {
  return Error(Errc::invalid_value, "invalid ingress annotation \"" + std::string(prefix) +
                                        std::string(name) + "\": " + why);
}

std::optional<int64_t> parse_int(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

// The names are the API's own: the Certificate decoder is their one table.
std::optional<api::KeyUsage> key_usage(std::string_view name) {
  json::JsonWriter w;
  w.begin_object();
  w.key("apiVersion");
  w.string("cert-manager.io/v1");
  w.key("kind");
  w.string("Certificate");
  w.key("metadata");
  w.begin_object();
  w.end_object();
  w.key("spec");
  w.begin_object();
  w.key("secretName");
  w.string("s");
  w.key("issuerRef");
  w.begin_object();
  w.key("name");
  w.string("i");
  w.end_object();
  w.key("usages");
  w.begin_array();
  w.string(name);
  w.end_array();
  w.end_object();
  w.end_object();
  auto crt = api::decode<api::Certificate>(w.str());
  if (!crt || crt->spec.usages.size() != 1)
    return std::nullopt;
  return crt->spec.usages.front();
}

std::string trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == sep)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

api::CertificatePrivateKey& private_key(api::CertificateSpec& spec) {
  if (!spec.private_key)
    spec.private_key = api::CertificatePrivateKey{};
  return *spec.private_key;
}

Status apply_subject(const api::StringMap& a, api::CertificateSpec& spec) {
  api::X509Subject subject;
  const std::pair<const char*, std::vector<std::string>*> lists[] = {
      {"subject-organizations", &subject.organizations},
      {"subject-organizationalunits", &subject.organizational_units},
      {"subject-countries", &subject.countries},
      {"subject-provinces", &subject.provinces},
      {"subject-localities", &subject.localities},
      {"subject-postalcodes", &subject.postal_codes},
      {"subject-streetaddresses", &subject.street_addresses},
  };
  for (auto [name, target] : lists) {
    if (const std::string* v = find(a, name)) {
      auto values = split_csv(*v);
      if (!values)
        return invalid(name, values.error().message());
      *target = std::move(*values);
    }
  }
  if (const std::string* v = find(a, "subject-serialnumber"))
    subject.serial_number = *v;
  if (!(subject == api::X509Subject{}))
    spec.subject = std::move(subject);
  return {};
}

Status apply_durations(const api::StringMap& a, api::CertificateSpec& spec) {
  if (const std::string* v = find(a, "duration")) {
    auto d = parse_duration(*v);
    if (!d)
      return invalid("duration", d.error().message());
    spec.duration = *d;
  }
  if (const std::string* v = find(a, "renew-before")) {
    auto d = parse_duration(*v);
    if (!d)
      return invalid("renew-before", d.error().message());
    spec.renew_before = *d;
  }
  if (const std::string* v = find(a, "renew-before-percentage")) {
    auto pct = parse_int(*v);
    if (!pct || *pct < 1 || *pct > 99)
      return invalid("renew-before-percentage",
                     "must be a whole number from 1 to 99, not \"" + *v + "\"");
    spec.renew_before_percentage = static_cast<int32_t>(*pct);
  }
  return {};
}

Status apply_usages(const api::StringMap& a, api::CertificateSpec& spec) {
  if (const std::string* v = find(a, "usages")) {
    std::vector<api::KeyUsage> usages;
    for (const std::string& name : split(*v, ',')) {
      auto usage = key_usage(trim_spaces(name));
      if (!usage)
        return invalid("usages", "invalid key usage name \"" + name + "\"");
      usages.push_back(*usage);
    }
    spec.usages = std::move(usages);
  }
  if (const std::string* v = find(a, "revision-history-limit")) {
    auto limit = parse_int(*v);
    if (!limit || *limit > INT32_MAX || *limit < INT32_MIN)
      return invalid("revision-history-limit", "not a whole number: \"" + *v + "\"");
    if (*limit < 1)
      return invalid("revision-history-limit",
                     "revision history limit must be a positive number \"" + *v + "\"");
    spec.revision_history_limit = static_cast<int32_t>(*limit);
  }
  return {};
}

Status apply_private_key(const api::StringMap& a, api::CertificateSpec& spec) {
  if (const std::string* v = find(a, "private-key-algorithm")) {
    if (*v == "RSA")
      private_key(spec).algorithm = api::PrivateKeyAlgorithm::RSA;
    else if (*v == "ECDSA")
      private_key(spec).algorithm = api::PrivateKeyAlgorithm::ECDSA;
    else if (*v == "Ed25519")
      private_key(spec).algorithm = api::PrivateKeyAlgorithm::Ed25519;
    else
      return invalid("private-key-algorithm", "invalid private key algorithm \"" + *v + "\"");
  }
  if (const std::string* v = find(a, "private-key-encoding")) {
    if (*v == "PKCS1")
      private_key(spec).encoding = api::PrivateKeyEncoding::PKCS1;
    else if (*v == "PKCS8")
      private_key(spec).encoding = api::PrivateKeyEncoding::PKCS8;
    else
      return invalid("private-key-encoding", "invalid private key encoding \"" + *v + "\"");
  }
  if (const std::string* v = find(a, "private-key-size")) {
    auto size = parse_int(*v);
    if (!size || *size > INT32_MAX || *size < 0)
      return invalid("private-key-size", "not a whole number: \"" + *v + "\"");
    const auto algorithm = spec.private_key && spec.private_key->algorithm
                               ? *spec.private_key->algorithm
                               : api::PrivateKeyAlgorithm::RSA;
    if (algorithm == api::PrivateKeyAlgorithm::RSA && (*size < 2048 || *size > 8192))
      return invalid("private-key-size",
                     "invalid private key size for RSA algorithm \"" + *v + "\"");
    if (algorithm == api::PrivateKeyAlgorithm::ECDSA && *size != 256 && *size != 384 &&
        *size != 521)
      return invalid("private-key-size",
                     "invalid private key size for ECDSA algorithm \"" + *v + "\"");
    private_key(spec).size = static_cast<int32_t>(*size);
  }
  if (const std::string* v = find(a, "private-key-rotation-policy")) {
    if (*v == "Never")
      private_key(spec).rotation_policy = api::RotationPolicy::Never;
    else if (*v == "Always")
      private_key(spec).rotation_policy = api::RotationPolicy::Always;
    else
      return invalid("private-key-rotation-policy",
                     "invalid private key rotation policy \"" + *v + "\"");
  }
  return {};
}

Status apply_secret_template(const api::StringMap& a, api::CertificateSpec& spec) {
  if (const std::string* v = find(a, "secret-template")) {
    auto parsed = parse_secret_template(*v);
    if (!parsed)
      return invalid("secret-template", parsed.error().message());
    if (*parsed)
      spec.secret_template = std::move(**parsed);
  }
  return {};
}

}  // namespace

Status apply_shim_annotations(const api::StringMap& a, api::CertificateSpec& spec) {
  if (const std::string* v = find(a, "common-name"))
    spec.common_name = *v;
  if (const std::string* v = find(a, "email-sans"))
    spec.email_addresses = split(*v, ',');
  for (auto step :
       {apply_subject, apply_durations, apply_usages, apply_private_key, apply_secret_template}) {
    if (Status st = step(a, spec); !st)
      return st;
  }
  return {};
}

}  // namespace certmill::controller
