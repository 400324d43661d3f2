// The rules in the webhook's order: the issuer types, then within each its
// fields from the top.
#include "controller/issuer_validation.hpp"

#include <algorithm>
#include <cctype>

#include "controller/name_syntax.hpp"

namespace certmill::controller {

namespace {

struct Errors {
  std::vector<std::string> list;

  void required(const std::string& field, const std::string& detail = {}) {
    list.push_back(field + ": Required value" + (detail.empty() ? "" : ": " + detail));
  }
  void invalid(const std::string& field, const std::string& value, const std::string& detail) {
    list.push_back(field + ": Invalid value: \"" + value + "\": " + detail);
  }
  void forbidden(const std::string& field, const std::string& detail) {
    list.push_back(field + ": Forbidden: " + detail);
  }
  // cert-manager names the unsupported value as "" whatever it was.
  void not_supported(const std::string& field, const std::string& supported) {
    list.push_back(field + ": Unsupported value: \"\": supported values: " + supported);
  }
};

std::string at(const std::string& field, std::size_t index) {
  return field + "[" + std::to_string(index) + "]";
}

void secret_key(const api::SecretKeySelector& ref, const std::string& field, Errors& e) {
  if (ref.name.empty())
    e.required(field + ".name", "secret name is required");
  if (ref.key.empty())
    e.required(field + ".key", "secret key is required");
}

bool valid_service_type(const std::string& type) {
  return type.empty() || type == "ClusterIP" || type == "NodePort";
}

void http01(const api::ACMEChallengeSolverHTTP01& solver, const std::string& field, Errors& e) {
  const int kinds = (solver.ingress ? 1 : 0) + (solver.gateway_http_route ? 1 : 0);
  if (solver.ingress) {
    const auto& ingress = *solver.ingress;
    const int named = (ingress.class_.empty() ? 0 : 1) +
                      (ingress.ingress_class_name.empty() ? 0 : 1) + (ingress.name.empty() ? 0 : 1);
    if (named > 1)
      e.forbidden(field + ".ingress",
                  "only one of 'ingressClassName', 'name' or 'class' should be specified");
    // Stricter than `class`: an IngressClass's name, which
    // "azure/application-gateway" (a valid class) is not.
    if (!ingress.ingress_class_name.empty()) {
      if (const std::string problem = dns1123_subdomain_problem(ingress.ingress_class_name);
          !problem.empty())
        e.invalid(field + ".ingress.ingressClassName", ingress.ingress_class_name,
                  "must be a valid IngressClass name: " + problem);
    }
    if (!valid_service_type(ingress.service_type))
      e.invalid(field + ".ingress.serviceType", ingress.service_type,
                "must be empty, \"ClusterIP\" or \"NodePort\"");
  }
  if (solver.gateway_http_route) {
    const auto& route = *solver.gateway_http_route;
    if (!valid_service_type(route.service_type))
      e.invalid(field + ".gateway.serviceType", route.service_type,
                "must be empty, \"ClusterIP\" or \"NodePort\"");
  }
  if (kinds == 0)
    e.required(field, "no HTTP01 solver type configured");
  if (kinds > 1)
    e.required(field, "only 1 HTTP01 solver type may be configured");
}

void rfc2136(const api::ACMEIssuerDNS01ProviderRFC2136& spec, const std::string& field, Errors& e) {
  if (spec.nameserver.empty())
    e.required(field + ".nameserver");
  else if (!parses_as_nameserver(spec.nameserver))
    e.invalid(field + ".nameserver", spec.nameserver,
              "nameserver must be set in the form host:port where host is an IPv4 address, an "
              "enclosed IPv6 address or a hostname and port is an optional port number.");
  if (!spec.tsig_algorithm.empty()) {
    std::string upper = spec.tsig_algorithm;
    for (char& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != "HMACMD5" && upper != "HMACSHA1" && upper != "HMACSHA256" && upper != "HMACSHA512")
      e.not_supported(field + ".tsigAlgorithm",
                      "\"HMACMD5\", \"HMACSHA1\", \"HMACSHA256\", \"HMACSHA512\"");
  }
  // A key name needs the Secret that holds the key, and a whole Secret
  // reference needs the key's name.
  const api::SecretKeySelector ref = spec.tsig_secret_secret_ref.value_or(api::SecretKeySelector{});
  if (!spec.tsig_key_name.empty())
    secret_key(ref, field + ".tsigSecretSecretRef", e);
  else if (!ref.name.empty() && !ref.key.empty())
    e.required(field + ".tsigKeyName");
}

void dns01(const api::ACMEChallengeSolverDNS01& solver, const std::string& field, Errors& e) {
  int providers = 0;
  // The webhook names the second provider it meets, in this order.
  const auto provider = [&](bool present, const char* name) {
    if (!present)
      return false;
    if (++providers > 1) {
      e.forbidden(field + "." + name, "may not specify more than one provider type");
      return false;
    }
    return true;
  };
  provider(!solver.akamai.text.empty(), "akamai");
  provider(solver.azure_dns.has_value(), "azureDNS");
  if (provider(solver.cloud_dns.has_value(), "cloudDNS") && solver.cloud_dns->project.empty())
    e.required(field + ".cloudDNS.project");
  if (provider(solver.cloudflare.has_value(), "cloudflare")) {
    const auto& cf = *solver.cloudflare;
    if (cf.api_key_secret_ref)
      secret_key(*cf.api_key_secret_ref, field + ".cloudflare.apiKeySecretRef", e);
    if (cf.api_token_secret_ref)
      secret_key(*cf.api_token_secret_ref, field + ".cloudflare.apiTokenSecretRef", e);
    if (cf.api_key_secret_ref && cf.api_token_secret_ref)
      e.forbidden(field + ".cloudflare",
                  "apiKeySecretRef and apiTokenSecretRef cannot both be specified");
    if (!cf.api_key_secret_ref && !cf.api_token_secret_ref)
      e.required(field + ".cloudflare", "apiKeySecretRef or apiTokenSecretRef is required");
    if (cf.email.empty() && cf.api_key_secret_ref)
      e.required(field + ".cloudflare.email");
  }
  if (provider(solver.route53.has_value(), "route53") && !solver.route53->access_key_id.empty() &&
      solver.route53->access_key_id_secret_ref)
    e.required(field + ".route53", "accessKeyID and accessKeyIDSecretRef cannot both be specified");
  if (solver.acme_dns) {
    // The webhook counts acmeDNS without refusing it as a second provider.
    ++providers;
    secret_key(solver.acme_dns->account_secret_ref, field + ".acmeDNS.accountSecretRef", e);
    if (solver.acme_dns->host.empty())
      e.required(field + ".acmeDNS.host");
  }
  if (provider(solver.digitalocean.has_value(), "digitalocean"))
    secret_key(solver.digitalocean->token_secret_ref, field + ".digitalocean.tokenSecretRef", e);
  if (provider(solver.rfc2136.has_value(), "rfc2136"))
    rfc2136(*solver.rfc2136, field + ".rfc2136", e);
  if (provider(solver.webhook.has_value(), "webhook") && solver.webhook->solver_name.empty())
    e.required(field + ".webhook.solverName", "solver name must be specified");
  if (providers == 0)
    e.required(field, "no DNS01 provider configured");
}

void acme(const api::ACMEIssuer& spec, const std::string& field, Errors& e) {
  if (!spec.ca_bundle.data.empty() && spec.skip_tls_verify) {
    const char* both = "caBundle and skipTLSVerify are mutually exclusive and cannot both be set";
    e.invalid(field + ".caBundle", "", both);
    e.invalid(field + ".skipTLSVerify", "true", both);
  }
  if (spec.private_key_secret_ref.name.empty())
    e.required(field + ".privateKeySecretRef.name", "private key secret name is a required field");
  if (spec.server.empty())
    e.required(field + ".server", "acme server URL is a required field");
  if (const auto& eab = spec.external_account_binding) {
    if (eab->key_id.empty())
      e.required(field + ".externalAccountBinding.keyID",
                 "the keyID field is required when using externalAccountBinding");
    secret_key(eab->key_secret_ref, field + ".externalAccountBinding.keySecretRef", e);
  }
  for (std::size_t i = 0; i < spec.solvers.size(); ++i) {
    const auto& solver = spec.solvers[i];
    const std::string path = at(field + ".solvers", i);
    if (solver.http01)
      http01(*solver.http01, path + ".http01", e);
    if (solver.dns01 && solver.http01)
      e.forbidden(path, "may not specify more than one solver type in a single solver");
    else if (solver.dns01)
      dns01(*solver.dns01, path + ".dns01", e);
    if (!solver.http01 && !solver.dns01)
      e.required(path, "no solver type configured");
  }
}

bool has_dot_dot(const std::string& path) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    if (path.substr(start, slash - start) == "..")
      return true;
    if (slash == std::string::npos)
      return false;
    start = slash + 1;
  }
}

void vault(const api::VaultIssuer& spec, const std::string& field, Errors& e) {
  if (spec.server.empty())
    e.required(field + ".server");
  if (spec.path.empty())
    e.required(field + ".path");
  else if (has_dot_dot(spec.path))
    e.invalid(field + ".path", spec.path, "must not contain '..' path segments");
  if (!spec.ca_bundle.data.empty() && spec.ca_bundle_secret_ref) {
    e.invalid(field + ".caBundle", "<snip>",
              "specified caBundle and caBundleSecretRef cannot be used together");
    e.invalid(field + ".caBundleSecretRef", spec.ca_bundle_secret_ref->name,
              "specified caBundleSecretRef and caBundle cannot be used together");
  }
  const api::VaultAuth& auth = spec.auth;
  if (auth.app_role) {
    if (auth.app_role->role_id.empty())
      e.required(field + ".auth.appRole.roleId");
    if (auth.app_role->secret_ref.name.empty())
      e.required(field + ".auth.appRole.secretRef.name");
  }
  if (auth.kubernetes) {
    if (auth.kubernetes->role.empty())
      e.required(field + ".auth.kubernetes.role");
    const int ways = (auth.kubernetes->secret_ref && !auth.kubernetes->secret_ref->name.empty()) +
                     auth.kubernetes->service_account_ref.has_value();
    if (ways == 0)
      e.required(field + ".auth.kubernetes", "please supply one of: secretRef, serviceAccountRef");
    if (ways > 1)
      e.forbidden(field + ".auth.kubernetes", "please supply one of: secretRef, serviceAccountRef");
  }
  if (!auth.token_secret_ref && !auth.app_role && !auth.kubernetes)
    e.required(field + ".auth",
               "please supply one of: appRole, kubernetes, tokenSecretRef, clientCertificate, aws");
}

}  // namespace

std::vector<std::string> issuer_spec_errors(const api::IssuerSpec& spec) {
  Errors e;
  int types = 0;
  const auto type = [&](bool present, const char* name) {
    if (!present)
      return false;
    if (++types > 1) {
      e.forbidden(std::string("spec.") + name, "may not specify more than one issuer type");
      return false;
    }
    return true;
  };
  if (type(spec.acme.has_value(), "acme"))
    acme(*spec.acme, "spec.acme", e);
  if (type(spec.ca.has_value(), "ca")) {
    if (spec.ca->secret_name.empty())
      e.required("spec.ca.secretName");
    // An empty URL would be written into every certificate the CA signs.
    for (std::size_t i = 0; i < spec.ca->ocsp_servers.size(); ++i)
      if (spec.ca->ocsp_servers[i].empty())
        e.invalid(at("spec.ca.ocspServer", i), "",
                  "must be a valid URL, e.g., http://ocsp.int-x3.letsencrypt.org");
    for (std::size_t i = 0; i < spec.ca->issuing_certificate_urls.size(); ++i)
      if (spec.ca->issuing_certificate_urls[i].empty())
        e.invalid(at("spec.ca.issuingCertificateURLs", i), "", "must be a valid URL");
  }
  type(spec.self_signed.has_value(), "selfSigned");
  if (type(spec.vault.has_value(), "vault"))
    vault(*spec.vault, "spec.vault", e);
  type(!spec.venafi.text.empty(), "venafi");
  if (types == 0)
    e.required("spec", "at least one issuer must be configured");
  return std::move(e.list);
}

}  // namespace certmill::controller
