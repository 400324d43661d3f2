// The manifests of the tests that run the controller against acme-front: a
// namespace "shop", a ClusterIssuer "letsencrypt" on the front with an
// HTTP-01 Ingress solver, and one ECDSA Certificate for NAME.example.com
// whose Secret is NAME-tls.
#pragma once

#include <string>

#include "core/base64.hpp"
#include "tests/support/acme_front.hpp"

namespace certmill::test {

// A ClusterIssuer NAME on the front with an HTTP-01 Ingress solver, its
// account key in Secret ACCOUNT; `annotation`, when set, is its
// certmill.io/rate-limits.
inline std::string acme_front_cluster_issuer(const AcmeFront& front, const std::string& name,
                                             const std::string& account,
                                             const std::string& annotation = {}) {
  return "---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: " + name +
         "\n" +
         (annotation.empty()
              ? std::string()
              : "  annotations:\n    certmill.io/rate-limits: " + annotation + "\n") +
         "spec:\n  acme:\n    server: " + front.directory_url +
         "\n    caBundle: " + base64_encode(front.tls_certificate_pem()) +
         "\n    privateKeySecretRef:\n      name: " + account +
         "\n    solvers:\n    - http01:\n        ingress:\n          ingressClassName: nginx\n";
}

// Namespace "shop" and the ClusterIssuer above.
inline std::string acme_front_issuer(const AcmeFront& front, const std::string& name,
                                     const std::string& account,
                                     const std::string& annotation = {}) {
  return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n" +
         acme_front_cluster_issuer(front, name, account, annotation);
}

// An ECDSA Certificate NAME in "shop" for DNS_NAME from ClusterIssuer
// ISSUER, its Secret NAME-tls.
inline std::string acme_certificate_yaml(const std::string& name, const std::string& dns_name,
                                         const std::string& issuer) {
  return "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: " + name +
         "\n  namespace: shop\nspec:\n  secretName: " + name + "-tls\n  dnsNames: [" + dns_name +
         "]\n  privateKey:\n    algorithm: ECDSA\n  issuerRef:\n    name: " + issuer +
         "\n    kind: ClusterIssuer\n";
}

// COUNT ECDSA Certificates PREFIX-0 ... in "shop" for PREFIX-i.example.com,
// from ClusterIssuer ISSUER, their Secrets PREFIX-i-tls.
inline std::string shop_certificates(const std::string& prefix, int count,
                                     const std::string& issuer) {
  std::string yaml;
  for (int i = 0; i < count; ++i) {
    const std::string name = prefix + "-" + std::to_string(i);
    yaml += acme_certificate_yaml(name, name + ".example.com", issuer);
  }
  return yaml;
}

inline std::string acme_front_manifests(const AcmeFront& front, const std::string& name) {
  return R"(apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt
spec:
  acme:
    server: )" +
         front.directory_url + R"(
    caBundle: )" +
         base64_encode(front.tls_certificate_pem()) + R"(
    privateKeySecretRef:
      name: letsencrypt-account
    solvers:
    - http01:
        ingress:
          ingressClassName: nginx
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: )" +
         name + R"(
  namespace: shop
spec:
  secretName: )" +
         name + R"(-tls
  dnsNames: [)" +
         name + R"(.example.com]
  privateKey:
    algorithm: ECDSA
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
)";
}

}  // namespace certmill::test
