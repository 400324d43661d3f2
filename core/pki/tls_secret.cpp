// Secret assembly from an issued key pair.
#include "core/pki/tls_secret.hpp"

#include "core/pki/keys.hpp"
#include "core/pki/pem.hpp"
#include "core/pki/pkcs12.hpp"

namespace certmill::pki {

namespace {

bool needs_quotes(const std::string& f) {
  if (f.empty())
    return false;
  if (f == "\\.")
    return true;
  return f.find_first_of(",\"\r\n") != std::string::npos || f.front() == ' ' || f.front() == '\t' ||
         f.front() == '\v' || f.front() == '\f';
}

api::Bytes bytes(std::string s) {
  return api::Bytes{std::move(s)};
}

}  // namespace

std::string join_csv(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0)
      out += ',';
    const std::string& f = fields[i];
    if (!needs_quotes(f)) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f)
      out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out;
}

api::StringMap certificate_annotations(const api::Certificate& crt, const CertificateInfo& leaf) {
  const std::string prefix = "cert-manager.io/";
  api::StringMap a;
  a[prefix + "certificate-name"] = crt.metadata.name;
  a[prefix + "issuer-name"] = crt.spec.issuer_ref.name;
  a[prefix + "issuer-kind"] =
      crt.spec.issuer_ref.kind.empty() ? "Issuer" : crt.spec.issuer_ref.kind;
  a[prefix + "issuer-group"] = crt.spec.issuer_ref.group;
  a[prefix + "common-name"] = leaf.subject.common_name;
  a[prefix + "alt-names"] = join_csv(leaf.sans.dns_names);
  a[prefix + "ip-sans"] = join_csv(leaf.sans.ip_addresses);
  a[prefix + "uri-sans"] = join_csv(leaf.sans.uris);
  const auto optional = [&](const std::string& key, const std::vector<std::string>& values) {
    if (!values.empty())
      a[prefix + key] = join_csv(values);
  };
  optional("email-sans", leaf.sans.email_addresses);
  const api::X509Subject& s = leaf.subject.subject;
  if (!s.serial_number.empty())
    a[prefix + "subject-serialnumber"] = s.serial_number;
  optional("subject-organizations", s.organizations);
  optional("subject-organizationalunits", s.organizational_units);
  optional("subject-countries", s.countries);
  optional("subject-provinces", s.provinces);
  optional("subject-localities", s.localities);
  optional("subject-postalcodes", s.postal_codes);
  optional("subject-streetaddresses", s.street_addresses);
  return a;
}

api::OwnerReference certificate_owner_reference(const api::Certificate& crt) {
  return {"cert-manager.io/v1", "Certificate", crt.metadata.name, crt.metadata.uid, true, true};
}

Result<api::Secret> build_tls_secret(const api::Certificate& crt, const TlsSecretInput& in) {
  auto chain = parse_certificates(in.chain_pem, "the issued tls.crt");
  if (!chain)
    return chain.error();
  auto key = parse_private_key(in.private_key_pem, "the issued tls.key");
  if (!key)
    return key.error();
  if (!key_matches_certificate(*key, chain->front()))
    return Error(Errc::invalid_value,
                 "the issued certificate does not match the private key it was requested for");

  api::Secret secret;
  secret.metadata.name = crt.spec.secret_name;
  secret.metadata.namespace_ = crt.metadata.namespace_;
  secret.type = "kubernetes.io/tls";
  if (in.owner_reference)
    secret.metadata.owner_references.push_back(certificate_owner_reference(crt));
  if (crt.spec.secret_template) {
    secret.metadata.labels = crt.spec.secret_template->labels;
    secret.metadata.annotations = crt.spec.secret_template->annotations;
  }
  secret.metadata.labels[fao_label] = "true";
  for (auto& [k, v] : certificate_annotations(crt, chain->front().info()))
    secret.metadata.annotations[k] = std::move(v);

  secret.data["tls.crt"] = bytes(in.chain_pem);
  secret.data["tls.key"] = bytes(in.private_key_pem);
  secret.data["ca.crt"] = bytes(in.ca_pem);

  for (const api::AdditionalOutputFormat& format : crt.spec.additional_output_formats) {
    if (format.type == api::OutputFormat::CombinedPEM) {
      secret.data["tls-combined.pem"] = bytes(in.private_key_pem + "\n" + in.chain_pem);
    } else {
      auto blocks = pem_decode(in.private_key_pem, "the issued tls.key");
      if (!blocks)
        return blocks.error();
      secret.data["key.der"] = bytes(blocks->front().der);
    }
  }

  if (crt.spec.keystores && crt.spec.keystores->jks && crt.spec.keystores->jks->create)
    return Error(Errc::invalid_value, "spec.keystores.jks: JKS keystores are not supported yet");
  if (crt.spec.keystores && crt.spec.keystores->pkcs12 && crt.spec.keystores->pkcs12->create) {
    const api::KeystoreOptions& options = *crt.spec.keystores->pkcs12;
    auto profile = pkcs12_profile(options.profile);
    if (!profile)
      return profile.error();
    if (!in.pkcs12_password && options.password_secret_ref)
      return Error(Errc::missing_field,
                   "spec.keystores.pkcs12.passwordSecretRef: the password "
                   "from Secret " +
                       options.password_secret_ref->name + " was not read");
    const std::string password = in.pkcs12_password.value_or(options.password);
    std::vector<Certificate> cas;
    if (!in.ca_pem.empty()) {
      auto parsed = parse_certificates(in.ca_pem, "the issued ca.crt");
      if (!parsed)
        return parsed.error();
      cas = std::move(*parsed);
    }
    auto keystore = pkcs12_keystore(*key, *chain, cas, password, *profile);
    if (!keystore)
      return keystore.error();
    secret.data["keystore.p12"] = bytes(std::move(*keystore));
    if (!cas.empty()) {
      auto truststore = pkcs12_truststore({cas.front()}, password, *profile);
      if (!truststore)
        return truststore.error();
      secret.data["truststore.p12"] = bytes(std::move(*truststore));
    }
  }
  return secret;
}

}  // namespace certmill::pki
