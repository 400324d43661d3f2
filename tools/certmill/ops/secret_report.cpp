// The layout of a TLS Secret for people. It is built from TlsFacts, which
// hold no byte of tls.key, so nothing here can print the private key.
#include "tools/certmill/ops/secret_report.hpp"

#include <openssl/x509.h>

#include "core/pki/key_usage.hpp"
#include "tools/certmill/ops/table.hpp"
#include "tools/certmill/ops/tls_facts.hpp"

namespace certmill::ops {

namespace {

std::string joined(const std::vector<std::string>& items) {
  if (items.empty())
    return "<none>";
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string field(std::string_view label, const std::string& value) {
  std::string l = "  " + std::string(label) + ":";
  l.append(l.size() < 24 ? 24 - l.size() : 1, ' ');
  return l + value + "\n";
}

std::string validity(const pki::CertificateInfo& info, Time now) {
  if (info.not_after <= now)
    return "EXPIRED " + relative_time(info.not_after, now);
  if (info.not_before > now)
    return "not valid yet, starts " + relative_time(info.not_before, now);
  return "expires " + relative_time(info.not_after, now);
}

std::string leaf_section(const pki::Certificate& cert, Time now) {
  const auto& info = cert.info();
  std::vector<std::string> eku;
  for (int nid : info.extended_key_usage)
    eku.push_back(pki::extended_usage_name(nid));
  std::string out = "Certificate:\n";
  out += field("Subject", info.subject_text.empty() ? "<empty>" : info.subject_text);
  out += field("Issuer", info.issuer_text);
  out += field("Serial Number", info.serial_hex);
  out += field("Not Before", format_time(info.not_before));
  out += field("Not After", format_time(info.not_after) + " (" + validity(info, now) + ")");
  out += field("DNS Names", joined(info.sans.dns_names));
  out += field("IP Addresses", joined(info.sans.ip_addresses));
  out += field("URIs", joined(info.sans.uris));
  out += field("Email Addresses", joined(info.sans.email_addresses));
  out += field("Key Usages", joined(pki::key_usage_names(info.key_usage)));
  out += field("Extended Key Usages", joined(eku));
  out += field("Is a CA", info.is_ca ? "yes" : "no");
  out += field("Public Key", public_key_description(X509_get0_pubkey(cert.get())));
  out += field("Signature Algorithm", signature_algorithm(cert));
  out += field("SHA-256 Fingerprint", sha256_fingerprint(cert));
  return out;
}

std::string chain_section(std::string_view title, const std::vector<pki::Certificate>& certs,
                          Time now) {
  std::string out = std::string(title) + ":\n";
  std::vector<Row> rows;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    const auto& info = certs[i].info();
    const bool next_signs = i + 1 < certs.size() && certs[i].signed_by(certs[i + 1]);
    rows.push_back({"  " + std::to_string(i), info.subject_text, info.issuer_text,
                    format_time(info.not_after), validity(info, now),
                    i + 1 == certs.size() ? (info.self_signed ? "self-signed" : "")
                    : next_signs          ? "signed by next"
                                          : "NOT signed by next"});
  }
  out += format_table({"  #", "SUBJECT", "ISSUER", "NOT AFTER", "VALIDITY", "LINK"}, rows);
  return out;
}

}  // namespace

SecretReport secret_report(const api::Secret& secret, Time now, const Paint& paint) {
  const TlsFacts facts = read_tls_secret(secret);
  std::string out = "Secret " + secret.metadata.namespace_ + "/" + secret.metadata.name + " (" +
                    facts.type + "), data: " + joined(facts.data_keys) + "\n";
  std::string key_line = "Private key (tls.key): ";
  if (!facts.key.present) {
    key_line += "none";
  } else {
    key_line += facts.key.description + ", " + std::to_string(facts.key.size_bytes) + " bytes";
    if (facts.key.matches_certificate)
      key_line += *facts.key.matches_certificate
                      ? ", matches the certificate"
                      : ", " + paint(Colour::red, "does NOT match the certificate");
  }
  out += key_line + "\n\n";
  if (facts.chain.empty()) {
    out += paint(Colour::red, "No certificate: " + facts.chain_error) + "\n";
    return {.text = out, .well = false};
  }
  const auto& leaf = facts.chain.front().info();
  const bool valid_now = leaf.not_before <= now && now < leaf.not_after;
  out += leaf_section(facts.chain.front(), now) + "\n";
  out += chain_section("Chain (tls.crt)", facts.chain, now);
  if (!facts.ca.empty())
    out += "\n" + chain_section("CA (ca.crt)", facts.ca, now);
  const bool well = valid_now && facts.key.matches_certificate != false;
  out += "\n" +
         paint(well ? Colour::green : Colour::red,
               well ? "The certificate is valid now (" + validity(leaf, now) + ")."
                    : "The certificate is not usable now (" + validity(leaf, now) +
                          (facts.key.matches_certificate == false ? ", key mismatch" : "") + ").") +
         "\n";
  return {.text = out, .well = well};
}

}  // namespace certmill::ops
