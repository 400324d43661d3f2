// The manifests of the tests that run the controller against acme-front: a
// namespace "shop", a ClusterIssuer "letsencrypt" on the front with an
// HTTP-01 Ingress solver, and one ECDSA Certificate for NAME.example.com
// whose Secret is NAME-tls.
#pragma once

#include <string>

#include "core/base64.hpp"
#include "tests/support/acme_front.hpp"

namespace certmill::test {

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
