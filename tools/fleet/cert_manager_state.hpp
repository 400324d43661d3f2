// A cluster as cert-manager v1.21 leaves it, for the take-over test and
// benchmark: a CA ClusterIssuer it marked Ready, and Certificates it issued,
// each with the TLS Secret, the CertificateRequest of revision 1 and the
// status it writes (../shared/CERT-MANAGER-API.md has the shapes). The
// objects are written field by field as cert-manager writes them, not with
// certmill's own builders, so that a difference between the two shows up as
// a write when certmill takes over.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "core/pki/ca_keypair.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "k8s/http_client.hpp"

namespace certmill::fleet {

namespace asio = boost::asio;

// A root CA and the ClusterIssuer over it, as `kubectl apply` and
// cert-manager's issuer controller leave them.
struct CertManagerCa {
  pki::CaKeyPair key_pair;
  std::string cert_pem;
  std::string key_pem;
  std::string issuer_name = "cm-ca";
  std::string secret_namespace = "kube-system";  // --cluster-resource-namespace
};

Result<CertManagerCa> make_cert_manager_ca(Time now);

// One Certificate cert-manager issued: `dns_name` in spec.dnsNames, ECDSA P-256.
struct IssuedCertificate {
  boost::json::object certificate;  // as applied, without status
  boost::json::object certificate_status;
  boost::json::object secret;
  boost::json::object request;  // ownerReferences filled in when written
  boost::json::object request_status;
};

Result<IssuedCertificate> issued_by_cert_manager(const CertManagerCa& ca, const std::string& ns,
                                                 const std::string& name,
                                                 const std::string& dns_name, Time now);

// Writes the CA's Secret and ClusterIssuer (with its Ready status), as
// creates and status updates; `now` stamps the Ready condition.
asio::awaitable<Status> write_cert_manager_ca(k8s::HttpClient& http, const CertManagerCa& ca,
                                              Time now);

// Writes one issued Certificate: the Secret, the Certificate and its status,
// then the CertificateRequest owned by it and its status.
asio::awaitable<Status> write_issued(k8s::HttpClient& http, IssuedCertificate issued);

// The CA, then `certificates` issued Certificates web-<i> spread over
// `namespaces` (which must exist), written by `concurrency` workers.
struct CertManagerFleet {
  unsigned certificates = 0;
  std::vector<std::string> namespaces;
  unsigned concurrency = 32;
};

asio::awaitable<Status> write_cert_manager_fleet(k8s::HttpClient& http, const CertManagerCa& ca,
                                                 const CertManagerFleet& fleet, Time now,
                                                 std::function<void(unsigned)> progress = {});

}  // namespace certmill::fleet
