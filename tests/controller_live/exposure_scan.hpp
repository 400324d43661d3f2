// "Secrets stay secret", for every live test: what the cluster's Secrets
// hold that must never be shown (private keys, ACME account keys, TSIG and
// DNS-provider secrets, EAB MAC keys, keystores), searched for in every log
// line (at debug level, LogTap), every Event and the status of every
// cert-manager object. The harness runs it when it ends; the DNS-01
// provider tests also name their credentials (SecretScan).
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

namespace certmill::test {

class ControllerHarness;

// What to search for, from a list of Secrets (GET /api/v1/secrets): each
// value of 16 bytes or more that is not a certificate alone, as written and
// as base64; of a PEM private key, each line of its body. Certificates and
// CSRs are public.
std::vector<std::string> secret_material(const boost::json::value& secrets);

// Where any of `needles` occurs in `texts`: the text's first 300
// characters, once per text. Linear in the texts' length however many
// needles of 16 characters or more there are (a fleet test's log is large);
// shorter ones, a test's own few, are searched one by one.
std::vector<std::string> exposures(const std::vector<std::string>& texts,
                                   const std::vector<std::string>& needles);

// The log lines `log` and, from the cluster, every Event and the status of
// every Certificate, CertificateRequest, Order, Challenge, Issuer and
// ClusterIssuer, each prefixed with where it came from.
std::vector<std::string> cluster_texts(ControllerHarness& h, const std::vector<std::string>& log);

}  // namespace certmill::test
