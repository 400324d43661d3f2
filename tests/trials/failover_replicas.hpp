// Replicas of the shipped controller that kube-sim tells apart: each runs
// `certmill controller` with leader election on (short periods, so a
// takeover is quick) and a token of a ServiceAccount of its own, bound by
// deploy/'s RBAC, so /kube-sim/stats' writesByUser counts each one's writes.
// Header-only.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "tests/kube_sim/fixture.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/trials/trial_support.hpp"
#include "tools/fleet/child_process.hpp"
#include "tools/fleet/free_port.hpp"

namespace certmill::test {

// The Lease is read and written in kube-system, where deploy/'s Role allows it.
inline constexpr int kLeaseSeconds = 6;
inline constexpr int kRenewDeadlineSeconds = 4;
inline constexpr int kRetrySeconds = 1;

inline void must_create(const KubeSim& sim, const std::string& path, const std::string& body,
                        const char* content_type = "application/json") {
  const auto r = request(sim, "POST", path, body, content_type);
  if (r.status != 201)
    throw std::runtime_error("POST " + path + ": HTTP " + std::to_string(r.status) + " " + r.body);
}

// Namespace certmill, one ServiceAccount there per name in `accounts`, and
// deploy/controller/rbac.yaml with its bindings given them as subjects too.
inline void install_service_accounts(const KubeSim& sim, const std::vector<std::string>& accounts) {
  must_create(sim, "/api/v1/namespaces",
              R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"certmill"}})");
  std::string subjects = "subjects:\n";
  for (const auto& account : accounts) {
    must_create(
        sim, "/api/v1/namespaces/certmill/serviceaccounts",
        R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":")" + account + R"("}})");
    subjects += "  - kind: ServiceAccount\n    name: " + account + "\n    namespace: certmill\n";
  }
  const std::string rbac = "/apis/rbac.authorization.k8s.io/v1";
  for (std::string doc :
       yaml_documents(slurp(std::string(CERTMILL_SOURCE_DIR) + "/deploy/controller/rbac.yaml"))) {
    const std::string kind = yaml_field(doc, "kind", 0);
    const std::string ns = yaml_field(doc, "namespace", 2);
    if (const auto at = doc.find("subjects:\n"); at != std::string::npos)
      doc.replace(at, 10, subjects);
    const std::string plural = kind == "ClusterRole"          ? "/clusterroles"
                               : kind == "ClusterRoleBinding" ? "/clusterrolebindings"
                               : kind == "Role"               ? "/namespaces/" + ns + "/roles"
                                                : "/namespaces/" + ns + "/rolebindings";
    must_create(sim, rbac + plural, doc, "application/yaml");
  }
}

inline std::string service_account_user(const std::string& account) {
  return "system:serviceaccount:certmill:" + account;
}

// A copy of the admin's kubeconfig whose token is a TokenRequest token of
// ServiceAccount certmill/`account`; its path.
inline std::string service_account_kubeconfig(const KubeSim& sim, const ScratchDir& dir,
                                              const std::string& account) {
  const auto r =
      request(sim, "POST", "/api/v1/namespaces/certmill/serviceaccounts/" + account + "/token",
              R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest"})");
  if (r.status != 201)
    throw std::runtime_error("TokenRequest for " + account + ": HTTP " + std::to_string(r.status));
  const std::string token(body_of(r).at("status").at("token").as_string());
  std::string kubeconfig = slurp(sim.kubeconfig);
  const auto at = kubeconfig.find("token: " + sim.token);
  if (at == std::string::npos)
    throw std::runtime_error("the kubeconfig has no token line");
  kubeconfig.replace(at + 7, sim.token.size(), token);
  return dir.write(account + ".kubeconfig", kubeconfig);
}

// Writes that succeeded, sent with `account`'s token (kube-sim's writesByUser).
inline std::int64_t writes_by(const KubeSim& sim, const std::string& account) {
  const boost::json::value stats = get(sim, "/kube-sim/stats");
  const auto* n = stats.at("writesByUser").as_object().if_contains(service_account_user(account));
  return n ? n->as_int64() : 0;
}

// The leader Lease's holder; empty when there is no Lease or it was released.
inline std::string lease_holder(const KubeSim& sim) {
  const auto r =
      request(sim, "GET",
              "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cert-manager-controller");
  if (r.status == 404)
    return {};
  if (r.status != 200)
    throw std::runtime_error("GET the Lease: HTTP " + std::to_string(r.status));
  // Kept whole: a pointer into a temporary body would dangle.
  const boost::json::value lease = body_of(r);
  const auto* holder = lease.at("spec").as_object().if_contains("holderIdentity");
  return holder && holder->is_string() ? std::string(holder->as_string()) : std::string();
}

// One replica: `certmill controller` as ServiceAccount certmill/`account`,
// its log in the scratch directory. Each has an HTTP-01 listener of its own:
// the controller binds it at start, leader or not, so two on one address
// cannot both run. Pebble does not validate (always_valid); the listener
// serves the replica's own self-check.
class Replica {
 public:
  Replica(const KubeSim& sim, const ScratchDir& dir, const Pebble& pebble, std::string account)
      : account_(std::move(account)),
        log_(dir.path(account_ + ".log")),
        kubeconfig_(service_account_kubeconfig(sim, dir, account_)),
        pebble_dns_port_(pebble.dns_port) {}

  void start() {
    const std::string http01 = std::to_string(fleet::free_port());
    const std::string command =
        "exec '" + certmill_binary() + "' controller --kubeconfig '" + kubeconfig_ +
        "' --leader-elect=true --leader-election-namespace=kube-system" +
        " --leader-election-lease-duration=" + std::to_string(kLeaseSeconds) + "s" +
        " --leader-election-renew-deadline=" + std::to_string(kRenewDeadlineSeconds) + "s" +
        " --leader-election-retry-period=" + std::to_string(kRetrySeconds) + "s" +
        " --metrics-listen-address=127.0.0.1:" + std::to_string(fleet::free_port()) +
        " --healthz-listen-address=127.0.0.1:" + std::to_string(fleet::free_port()) +
        " --http01-listen-address=127.0.0.1:" + http01 +
        " --acme-http01-solver-nameservers=127.0.0.1:" + std::to_string(pebble_dns_port_) +
        " --acme-http01-self-check-port=" + http01 +
        " --kube-api-qps=500 --kube-api-burst=500 >>'" + log_ + "' 2>&1";
    process_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", command}, false);
  }

  void signal(int signal) const { ::kill(process_->pid(), signal); }
  // Waits up to `bound` for the exit a signal asked for, without signalling
  // again (a second SIGTERM ends certmill at once); then stops it. The exit
  // code; -1 when it died of a signal or had to be stopped.
  int reap(std::chrono::seconds bound) {
    const auto give_up = std::chrono::steady_clock::now() + bound;
    while (running() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const int code = running() ? -1 : process_->stop();
    process_.reset();
    return code;
  }

  // Without reaping it: reap() must still find it.
  bool running() const {
    siginfo_t info{};
    return process_ &&
           ::waitid(P_PID, static_cast<id_t>(process_->pid()), &info,
                    WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
  }
  const std::string& account() const { return account_; }
  const std::string& log() const { return log_; }

 private:
  std::string account_;
  std::string log_;
  std::string kubeconfig_;
  unsigned short pebble_dns_port_;
  std::unique_ptr<fleet::ChildProcess> process_;
};

}  // namespace certmill::test
