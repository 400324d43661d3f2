// Manifests the end-to-end tests apply: cert-manager's documented
// SelfSigned → root CA → CA Issuer bootstrap, and leaf Certificates.
#pragma once

#include <string>

namespace certmill::test {

// The bootstrap from cert-manager's CA issuer documentation, in `ns`.
inline std::string bootstrap_yaml(const std::string& ns) {
  return R"(apiVersion: v1
kind: Namespace
metadata:
  name: )" +
         ns + R"(
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned-issuer-)" +
         ns + R"(
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: my-selfsigned-ca
  namespace: )" +
         ns + R"(
spec:
  isCA: true
  commonName: my-selfsigned-ca
  secretName: root-secret
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned-issuer-)" +
         ns + R"(
    kind: ClusterIssuer
    group: cert-manager.io
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: my-ca-issuer
  namespace: )" +
         ns + R"(
spec:
  ca:
    secretName: root-secret
)";
}

// A leaf Certificate from the CA issuer.
inline std::string leaf_yaml(const std::string& ns, const std::string& name,
                             const std::string& dns_name, const std::string& extra = "") {
  return R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: )" +
         name + R"(
  namespace: )" +
         ns + R"(
spec:
  secretName: )" +
         name + R"(-tls
  dnsNames:
  - )" + dns_name +
         R"(
  privateKey:
    algorithm: ECDSA
  issuerRef:
    name: my-ca-issuer
)" + extra;
}

}  // namespace certmill::test
