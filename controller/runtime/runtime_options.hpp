// What a shard's reconciles are told from the command line: where
// ClusterIssuers' Secrets live, backoff, the shims' defaults, how many
// reconciles and issuances run at once, each Certificate's write budget, and
// how ACME orders answer HTTP-01 and check DNS-01.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/certificate_reconciler.hpp"
#include "controller/shim_selection.hpp"
#include "controller/status_writes.hpp"
#include "controller/write_budget.hpp"
#include "solvers/dns/nameservers.hpp"
#include "solvers/http01/responder.hpp"
#include "solvers/http01/self_check.hpp"

namespace certmill::controller {

struct RuntimeOptions {
  // Where ClusterIssuers' Secrets live (--cluster-resource-namespace).
  std::string cluster_resource_namespace = "kube-system";
  IssuanceBackoff backoff;
  ShimDefaults shim;
  // Reconciles one shard runs at once; issuance waits on the API server and
  // the worker pool, so many overlap.
  unsigned max_in_flight = 64;
  // Issuances one shard carries at once for one issuer, from a new key to
  // the stored Secret (an ACME order's minutes included), and for all
  // issuers together. Others wait their turn (issuance_slots.hpp): memory
  // stays bounded when a whole fleet is due at once, and started issuances
  // finish before new ones begin.
  unsigned max_issuances = 256;
  unsigned max_issuances_total = 512;
  // ACME challenges one shard presents at once (--max-concurrent-challenges
  // spread over the shards); the others wait in arrival order.
  unsigned max_challenges = 60;
  // certmill approves its own CertificateRequests, as cert-manager's
  // certificaterequests-approver does; without it (--controllers=
  // *,-certificaterequests-approver) a request is signed only once another
  // approver has set Approved=True.
  bool approve_requests = true;
  // Whether Issuers and ClusterIssuers may draw on ambient credentials
  // (--issuer-ambient-credentials, --cluster-issuer-ambient-credentials), for
  // the DNS-01 providers.
  bool issuer_ambient_credentials = false;
  bool cluster_issuer_ambient_credentials = true;
  // --enable-certificate-owner-ref: each Certificate controls its Secret
  // (deleted with it); off, certmill's apply drops the reference it had set.
  bool certificate_owner_ref = false;
  // --copied-annotation-prefixes: which Certificate annotations its
  // CertificateRequests carry.
  std::vector<std::string> copied_annotation_prefixes = kDefaultCopiedAnnotationPrefixes;
  // Each Certificate's share of the shared API write budget.
  WriteBudgetPolicy write_budget;
  // A CA issuer's Secret is not watched: how often its readiness is checked
  // again, and how long a shard keeps a CA key pair it read.
  Duration issuer_recheck = std::chrono::minutes(1);
  Duration signer_ttl = std::chrono::seconds(30);
  // How long a reconcile waits for the cache to show certmill's own last
  // write before it acts on what it has.
  Duration expectation_timeout = std::chrono::seconds(60);
  // Where ACME orders put HTTP-01 answers (the Controller's responder);
  // ACME issuers cannot sign without it.
  solvers::Http01Responder* http01 = nullptr;
  // The Service, in each Challenge's namespace, that solver Ingresses and
  // HTTPRoutes send the CA to (it leads to the HTTP-01 listener).
  std::string http01_solver_service = "certmill-acme-http01";
  unsigned http01_solver_port = 8089;
  // In a cluster: this pod's IP (POD_IP, downward API) and the HTTP-01
  // listener's port. With an IP, each Challenge gets a Service and an
  // EndpointSlice of its own that lead to this pod, and solver routes name
  // that Service instead of http01_solver_service; without one (loopback,
  // the demo) routes name http01_solver_service and nothing more is made.
  std::string pod_ip;
  unsigned http01_listen_port = 8089;
  // How an order checks that a name serves its HTTP-01 answer before the CA
  // is told to look (--acme-http01-solver-nameservers,
  // --acme-http01-self-check-port).
  solvers::SelfCheckOptions http01_self_check;
  // DNS-01's propagation check: the recursive nameservers that find zones
  // and follow CNAMEs (--dns01-recursive-nameservers; empty, the system's
  // resolver), whether only they are asked for the record
  // (--dns01-recursive-nameservers-only) rather than every authoritative
  // server, and the port those listen on (53; tests on loopback move it).
  std::vector<solvers::Nameserver> dns01_recursive_nameservers;
  bool dns01_recursive_only = false;
  unsigned short dns01_authoritative_port = 53;
  // A DNS-01 provider's API in place of its public one, by the provider's
  // field name (--cloudflare-api-url, ...): private endpoints, emulators.
  std::map<std::string, std::string> dns01_provider_api_urls;
  // Between failed self-checks of a challenge, HTTP-01 or DNS-01
  // (--dns01-check-retry-period).
  Duration dns01_check_retry_period = std::chrono::seconds(10);
  // The Public Suffix List that registered domains are counted by, for the
  // ACME rate limits (--public-suffix-list); Debian's package publicsuffix.
  std::string public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat";
};

}  // namespace certmill::controller
