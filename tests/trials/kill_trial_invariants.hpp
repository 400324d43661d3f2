// What must hold after every kill and every convergence of the kill trial,
// checked on one read of the cluster: each target Secret absent or whole
// and matching its Certificate, no Certificate Ready=True over a Secret
// that does not match, no CertificateRequest signed twice (its
// status.certificate, once seen, never changes; no two signed requests for
// one revision of a Certificate). Each check returns what it found wrong,
// so a control can show it sees a fault. Header-only.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/trials/kill_trial_fleet.hpp"
#include "tests/trials/tls_secret_check.hpp"
#include "tests/trials/trial_support.hpp"

namespace certmill::test {

struct ClusterSnapshot {
  std::map<std::string, boost::json::value> certificates;  // by name
  std::map<std::string, boost::json::value> secrets;       // by name
  boost::json::array requests;                             // CertificateRequests
};

inline ClusterSnapshot snapshot(const KubeSim& sim) {
  ClusterSnapshot s;
  const auto by_name = [&](const std::string& path, std::map<std::string, boost::json::value>& m) {
    boost::json::value list = get(sim, path);
    for (auto& item : list.at("items").as_array())
      m[std::string(item.at("metadata").at("name").as_string())] = std::move(item);
  };
  by_name("/apis/cert-manager.io/v1/namespaces/shop/certificates", s.certificates);
  by_name("/api/v1/namespaces/shop/secrets", s.secrets);
  s.requests = std::move(get(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests")
                             .at("items")
                             .as_array());
  return s;
}

// What a fleet Certificate's Secret must hold; the root is its own issuer.
inline SecretExpectation expectation(const FleetCertificate& certificate, const ClusterSnapshot& s,
                                     const std::string& pebble_root) {
  if (certificate.acme)
    return {{certificate.dns_name}, pebble_root, false};
  const auto root = s.secrets.find("root-secret");
  return {certificate.dns_name.empty() ? std::vector<std::string>{}
                                       : std::vector<std::string>{certificate.dns_name},
          root == s.secrets.end() ? "" : tls_check::data(root->second.as_object(), "tls.crt"),
          true};
}

// The Secrets' verdicts: one line per fault. `converged` wants every Secret
// present and every Certificate Ready; otherwise an absent Secret is fine,
// and Ready=True over an absent Secret only for one the trial deleted
// (`deleted`) while the controller was down or about to die.
inline std::vector<std::string> secret_violations(const ClusterSnapshot& s,
                                                  const std::vector<FleetCertificate>& fleet,
                                                  const std::string& pebble_root, bool converged,
                                                  const std::set<std::string>& deleted = {}) {
  std::vector<std::string> found;
  for (const auto& certificate : fleet) {
    const auto cert = s.certificates.find(certificate.name);
    const bool ready = cert != s.certificates.end() && has_condition(cert->second, "Ready", "True");
    const auto secret = s.secrets.find(certificate.secret);
    if (secret == s.secrets.end()) {
      if (converged || (ready && !deleted.contains(certificate.secret)))
        found.push_back(certificate.name + ": Secret absent" + (ready ? " under Ready=True" : ""));
      continue;
    }
    for (const auto& problem :
         secret_problems(secret->second.as_object(), expectation(certificate, s, pebble_root)))
      found.push_back(certificate.name + ": " + problem + (ready ? " under Ready=True" : ""));
    if (converged && !ready)
      found.push_back(certificate.name + ": not Ready");
  }
  return found;
}

// Remembers every CertificateRequest's signed certificate (by uid) and
// reports one that changed, and two signed requests for one revision of a
// Certificate.
class SignedOnce {
 public:
  std::vector<std::string> check(const boost::json::array& requests) {
    std::vector<std::string> found;
    std::map<std::string, std::string> signed_revision;  // "certificate#revision" -> request
    for (const auto& request : requests) {
      const auto* certificate = status_field(request, "certificate");
      if (!certificate || !certificate->is_string() || certificate->as_string().empty())
        continue;
      const auto& metadata = request.at("metadata").as_object();
      const std::string name(metadata.at("name").as_string());
      const auto [seen, first] =
          seen_.try_emplace(std::string(metadata.at("uid").as_string()), certificate->as_string());
      if (!first && seen->second != certificate->as_string())
        found.push_back("CertificateRequest " + name + ": status.certificate changed");
      const std::string revision = annotation(metadata, "cert-manager.io/certificate-name") + "#" +
                                   annotation(metadata, "cert-manager.io/certificate-revision");
      const auto [other, alone] = signed_revision.try_emplace(revision, name);
      if (!alone)
        found.push_back("CertificateRequests " + other->second + " and " + name +
                        " both signed for " + revision);
    }
    return found;
  }

 private:
  static std::string annotation(const boost::json::object& metadata, const char* key) {
    const auto* annotations = metadata.if_contains("annotations");
    const auto* value = annotations && annotations->is_object()
                            ? annotations->as_object().if_contains(key)
                            : nullptr;
    return value && value->is_string() ? std::string(value->as_string()) : "?";
  }

  std::map<std::string, std::string> seen_;
};

}  // namespace certmill::test
