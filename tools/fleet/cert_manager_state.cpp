// cert-manager's objects for an issued Certificate, field by field as its
// controllers write them (certificates-issuing, -readiness, -request-manager,
// the approver and the CA issuer), and writing them to an API server as
// creates plus status patches, which is what those controllers' writes add up
// to.
#include "tools/fleet/cert_manager_state.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/base64.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/renewal.hpp"
#include "core/pki/sign.hpp"
#include "tools/fleet/bounded.hpp"

namespace certmill::fleet {

namespace json = boost::json;

namespace {

pki::KeySpec p256() {
  pki::KeySpec spec;
  spec.algorithm = api::PrivateKeyAlgorithm::ECDSA;
  spec.bits = 256;
  return spec;
}

json::object condition(std::string_view type, std::string_view reason, std::string_view message,
                       Time now, bool with_generation) {
  json::object c{{"type", type},
                 {"status", "True"},
                 {"reason", reason},
                 {"message", message},
                 {"lastTransitionTime", format_time(now)}};
  if (with_generation)
    c["observedGeneration"] = 1;
  return c;
}

// The CertificateRequest's name suffix: cert-manager creates it with
// generateName, five characters from this alphabet.
std::string generated_suffix(const std::string& seed) {
  static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::size_t h = std::hash<std::string>{}(seed);
  std::string out;
  for (int i = 0; i < 5; ++i, h /= alphabet.size())
    out += alphabet[h % alphabet.size()];
  return out;
}

asio::awaitable<Result<json::object>> send(k8s::HttpClient& http, std::string method,
                                           std::string path, const json::object& body,
                                           std::string content_type = "application/json") {
  const std::string what = method + " " + path;
  k8s::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(path);
  request.body = json::serialize(body);
  request.content_type = std::move(content_type);
  auto answer = co_await http.send(std::move(request), std::chrono::seconds(30));
  if (!answer)
    co_return answer.error();
  if (answer->status / 100 != 2)
    co_return Error(Errc::invalid_value, what + " answered " + std::to_string(answer->status) +
                                             ": " + answer->body.substr(0, 300));
  json::error_code ec;
  json::value parsed = json::parse(answer->body, ec);
  if (ec || !parsed.is_object())
    co_return Error(Errc::invalid_json, what + " answered something that is not an object");
  co_return std::move(parsed.as_object());
}

asio::awaitable<Status> patch_status(k8s::HttpClient& http, const std::string& path,
                                     const json::object& status) {
  auto patched = co_await send(http, "PATCH", path + "/status", json::object{{"status", status}},
                               "application/merge-patch+json");
  if (!patched)
    co_return patched.error();
  co_return Status{};
}

}  // namespace

Result<CertManagerCa> make_cert_manager_ca(Time now) {
  auto key = pki::generate_private_key(p256());
  if (!key)
    return key.error();
  api::CertificateSpec spec;
  spec.common_name = "cert-manager take-over root CA";
  spec.is_ca = true;
  auto csr = pki::build_csr(spec, *key);
  if (!csr)
    return csr.error();
  pki::SigningRequest request{.csr_pem = *csr,
                              .duration = std::chrono::hours(24 * 365 * 10),
                              .is_ca = true,
                              .usages = {},
                              .now = now - std::chrono::hours(48)};
  auto signed_ca = pki::sign_self_signed(request, *key, {});
  if (!signed_ca)
    return signed_ca.error();
  auto key_pem = pki::encode_private_key(*key, api::PrivateKeyEncoding::PKCS1);
  if (!key_pem)
    return key_pem.error();
  auto pair = pki::load_ca_key_pair(signed_ca->chain_pem, *key_pem, now, "kube-system/cm-ca");
  if (!pair)
    return pair.error();
  CertManagerCa ca{
      .key_pair = std::move(*pair), .cert_pem = signed_ca->chain_pem, .key_pem = *key_pem};
  return ca;
}

Result<IssuedCertificate> issued_by_cert_manager(const CertManagerCa& ca, const std::string& ns,
                                                 const std::string& name,
                                                 const std::string& dns_name, Time now) {
  api::CertificateSpec spec;
  spec.dns_names = {dns_name};
  auto key = pki::generate_private_key(p256());
  if (!key)
    return key.error();
  auto csr = pki::build_csr(spec, *key);
  if (!csr)
    return csr.error();
  // Issued a while ago, as a fleet that has been running is.
  const Time issued_at = now - std::chrono::hours(24);
  pki::SigningRequest request{
      .csr_pem = *csr,
      .duration = pki::default_certificate_duration,
      .is_ca = false,
      .usages = {api::KeyUsage::DigitalSignature, api::KeyUsage::KeyEncipherment},
      .now = issued_at};
  auto bundle = pki::sign_with_ca(request, ca.key_pair, {});
  if (!bundle)
    return bundle.error();
  auto key_pem = pki::encode_private_key(*key, api::PrivateKeyEncoding::PKCS1);
  if (!key_pem)
    return key_pem.error();
  auto leaf = pki::parse_certificate(bundle->chain_pem, "the issued certificate");
  if (!leaf)
    return leaf.error();
  const auto& info = leaf->info();

  const json::object issuer_ref{
      {"name", ca.issuer_name}, {"kind", "ClusterIssuer"}, {"group", "cert-manager.io"}};
  IssuedCertificate out;
  out.certificate = {{"apiVersion", "cert-manager.io/v1"},
                     {"kind", "Certificate"},
                     {"metadata", {{"name", name}, {"namespace", ns}}},
                     {"spec",
                      {{"secretName", name + "-tls"},
                       {"dnsNames", json::array{json::value(dns_name)}},
                       {"issuerRef", issuer_ref},
                       {"privateKey", {{"algorithm", "ECDSA"}, {"size", 256}}}}}};
  const Time renewal =
      pki::renewal_time(info.not_before, info.not_after, std::nullopt, std::nullopt);
  out.certificate_status = {
      {"conditions",
       json::array{condition("Ready", "Ready", "Certificate is up to date and has not expired",
                             issued_at, true)}},
      {"notBefore", format_time(info.not_before)},
      {"notAfter", format_time(info.not_after)},
      {"renewalTime", format_time(renewal)},
      {"revision", 1}};
  out.secret = {{"apiVersion", "v1"},
                {"kind", "Secret"},
                {"type", "kubernetes.io/tls"},
                {"metadata",
                 {{"name", name + "-tls"},
                  {"namespace", ns},
                  {"labels", {{"controller.cert-manager.io/fao", "true"}}},
                  {"annotations",
                   {{"cert-manager.io/alt-names", dns_name},
                    {"cert-manager.io/certificate-name", name},
                    {"cert-manager.io/common-name", ""},
                    {"cert-manager.io/ip-sans", ""},
                    {"cert-manager.io/issuer-group", "cert-manager.io"},
                    {"cert-manager.io/issuer-kind", "ClusterIssuer"},
                    {"cert-manager.io/issuer-name", ca.issuer_name},
                    {"cert-manager.io/uri-sans", ""}}}}},
                {"data",
                 {{"ca.crt", base64_encode(bundle->ca_pem)},
                  {"tls.crt", base64_encode(bundle->chain_pem)},
                  {"tls.key", base64_encode(*key_pem)}}}};
  out.request = {
      {"apiVersion", "cert-manager.io/v1"},
      {"kind", "CertificateRequest"},
      {"metadata",
       {{"name", name + "-" + generated_suffix(ns + "/" + name)},
        {"namespace", ns},
        {"annotations",
         {{"cert-manager.io/certificate-name", name},
          {"cert-manager.io/certificate-revision", "1"},
          {"cert-manager.io/private-key-secret-name", name + "-" + generated_suffix(name)}}}}},
      {"spec",
       {{"issuerRef", issuer_ref},
        {"request", base64_encode(*csr)},
        {"usages", json::array{json::value("digital signature"), json::value("key encipherment")}},
        {"username", "system:serviceaccount:cert-manager:cert-manager"},
        {"groups", json::array{json::value("system:serviceaccounts"),
                               json::value("system:serviceaccounts:cert-manager"),
                               json::value("system:authenticated")}}}}};
  out.request_status = {
      {"conditions",
       json::array{
           condition("Approved", "cert-manager.io",
                     "Certificate request has been approved by cert-manager.io", issued_at, false),
           condition("Ready", "Issued", "Certificate fetched from issuer successfully", issued_at,
                     false)}},
      {"certificate", base64_encode(bundle->chain_pem)},
      {"ca", base64_encode(bundle->ca_pem)}};
  return out;
}

asio::awaitable<Status> write_cert_manager_ca(k8s::HttpClient& http, const CertManagerCa& ca,
                                              Time now) {
  const json::object secret{
      {"apiVersion", "v1"},
      {"kind", "Secret"},
      {"type", "kubernetes.io/tls"},
      {"metadata", {{"name", ca.issuer_name}, {"namespace", ca.secret_namespace}}},
      {"data", {{"tls.crt", base64_encode(ca.cert_pem)}, {"tls.key", base64_encode(ca.key_pem)}}}};
  auto created =
      co_await send(http, "POST", "/api/v1/namespaces/" + ca.secret_namespace + "/secrets", secret);
  if (!created)
    co_return created.error();
  const json::object issuer{{"apiVersion", "cert-manager.io/v1"},
                            {"kind", "ClusterIssuer"},
                            {"metadata", {{"name", ca.issuer_name}}},
                            {"spec", {{"ca", {{"secretName", ca.issuer_name}}}}}};
  const std::string path = "/apis/cert-manager.io/v1/clusterissuers";
  auto issuer_created = co_await send(http, "POST", path, issuer);
  if (!issuer_created)
    co_return issuer_created.error();
  co_return co_await patch_status(
      http, path + "/" + ca.issuer_name,
      {{"conditions",
        json::array{condition("Ready", "KeyPairVerified", "Signing CA verified", now, true)}}});
}

asio::awaitable<Status> write_issued(k8s::HttpClient& http, IssuedCertificate issued) {
  const std::string ns(issued.certificate["metadata"].as_object()["namespace"].as_string());
  const std::string name(issued.certificate["metadata"].as_object()["name"].as_string());
  auto secret = co_await send(http, "POST", "/api/v1/namespaces/" + ns + "/secrets", issued.secret);
  if (!secret)
    co_return secret.error();
  const std::string certificates = "/apis/cert-manager.io/v1/namespaces/" + ns + "/certificates";
  auto certificate = co_await send(http, "POST", certificates, issued.certificate);
  if (!certificate)
    co_return certificate.error();
  if (auto status =
          co_await patch_status(http, certificates + "/" + name, issued.certificate_status);
      !status)
    co_return status;
  const json::value uid = (*certificate)["metadata"].as_object()["uid"];
  issued.request["metadata"].as_object()["ownerReferences"] =
      json::array{json::object{{"apiVersion", "cert-manager.io/v1"},
                               {"kind", "Certificate"},
                               {"name", name},
                               {"uid", uid},
                               {"controller", true},
                               {"blockOwnerDeletion", true}}};
  const std::string requests = "/apis/cert-manager.io/v1/namespaces/" + ns + "/certificaterequests";
  auto request = co_await send(http, "POST", requests, issued.request);
  if (!request)
    co_return request.error();
  const std::string request_name((*request)["metadata"].as_object()["name"].as_string());
  co_return co_await patch_status(http, requests + "/" + request_name, issued.request_status);
}

asio::awaitable<Status> write_cert_manager_fleet(k8s::HttpClient& http, const CertManagerCa& ca,
                                                 const CertManagerFleet& fleet, Time now,
                                                 std::function<void(unsigned)> progress) {
  if (fleet.namespaces.empty())
    co_return Error(Errc::invalid_argument, "a cert-manager fleet needs a namespace");
  if (auto status = co_await write_cert_manager_ca(http, ca, now); !status)
    co_return status;
  co_return co_await for_each_bounded(
      fleet.certificates, fleet.concurrency,
      [&](unsigned i) -> asio::awaitable<Status> {
        const std::string& ns = fleet.namespaces[i % fleet.namespaces.size()];
        const std::string name = "web-" + std::to_string(i);
        auto issued = issued_by_cert_manager(ca, ns, name, name + "." + ns + ".example.com", now);
        if (!issued)
          co_return issued.error();
        co_return co_await write_issued(http, std::move(*issued));
      },
      std::move(progress));
}

}  // namespace certmill::fleet
