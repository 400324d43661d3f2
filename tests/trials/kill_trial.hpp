// The kill trial's world and its moves: kube-sim with the fleet, Pebble
// behind acme-front (rate limits off, no nonce refused, so every newOrder is
// an order), the shipped `certmill controller` started, killed with SIGKILL
// or stopped, the work a round puts in flight (renewals as `certmill renew`
// asks for them, Secrets deleted), and the wait for convergence, which
// checks the invariants on every read of the cluster on the way.
// Header-only; the rounds are in kill_trial_test.cpp.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <vector>

#include "tests/controller_live/harness.hpp"
#include "tests/kube_sim/fixture.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/plain_http.hpp"
#include "tests/trials/kill_trial_fleet.hpp"
#include "tests/trials/kill_trial_invariants.hpp"
#include "tests/trials/order_ledger.hpp"
#include "tests/trials/trial_support.hpp"
#include "tools/fleet/child_process.hpp"

namespace certmill::test {

inline PebbleOptions kill_trial_pebble() {
  PebbleOptions options = PebbleOptions::always_valid_on_loopback();
  options.nonce_reject = 0;
  return options;
}

// What a trial adds for DNS-01 (the fault storm's): every `every`-th ACME
// Certificate in example.test, the ClusterIssuer's solver for that zone, the
// objects it needs (its TSIG Secret) and the controller's DNS flags.
struct TrialDns01 {
  int every = 0;
  std::string solver = {};
  std::string manifests = {};
  std::string flags = {};
};

class KillTrial {
 public:
  // `log`: where the controllers' output goes (appended).
  KillTrial(int certificates, std::string log, TrialDns01 dns01 = {})
      : pebble_(kill_trial_pebble()),
        front_(pebble_, kRateLimitsOff),
        fleet_(kill_trial_fleet(certificates, dns01.every)),
        pebble_root_(pebble_.root_pem()),
        log_(std::move(log)),
        flags_(dns01.flags) {
    apply_crds(sim_);
    for (const std::string& doc :
         yaml_documents(kill_trial_manifests(front_, fleet_, dns01.solver) + dns01.manifests)) {
      const auto r =
          request(sim_, "POST",
                  collection_path(yaml_field(doc, "kind", 0), yaml_field(doc, "namespace", 2)), doc,
                  "application/yaml");
      if (r.status != 201)
        throw std::runtime_error("creating\n" + doc + "HTTP " + std::to_string(r.status) + " " +
                                 r.body);
    }
    for (const auto& certificate : fleet_)
      if (certificate.acme)
        ledger_.ask(certificate.dns_name);
  }

  void start() {
    controller_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c",
                                 controller_command(sim_, pebble_, log_, flags_, metrics_port_)},
        false);
  }
  void kill() {
    ::kill(controller_->pid(), SIGKILL);
    controller_.reset();  // reaps it
  }
  void stop() { controller_.reset(); }  // SIGTERM; SIGKILL after 10 s

  // Marks Certificates for re-issuance as `certmill renew` (cmctl renew)
  // does; an ACME one owes the CA one order more.
  void renew(const std::vector<const FleetCertificate*>& certificates) {
    std::string command =
        "'" + certmill_binary() + "' renew --kubeconfig '" + sim_.kubeconfig + "' -n shop";
    for (const auto* certificate : certificates) {
      command += " " + certificate->name;
      if (certificate->acme)
        ledger_.ask(certificate->dns_name);
    }
    // A status write of the running controller may win the race with
    // renew's guarded patch; renew skips what it already marked.
    for (int attempt = 0; std::system((command + " >>'" + log_ + "' 2>&1").c_str()) != 0; ++attempt)
      if (attempt == 3)
        throw std::runtime_error("certmill renew failed; see " + log_);
  }

  // Deletes a target Secret: the controller must issue it anew.
  void delete_secret(const FleetCertificate& certificate) {
    const auto r = request(sim_, "DELETE", "/api/v1/namespaces/shop/secrets/" + certificate.secret);
    if (r.status != 200)
      throw std::runtime_error("deleting Secret " + certificate.secret + ": HTTP " +
                               std::to_string(r.status));
    deleted_.insert(certificate.secret);
    if (certificate.acme)
      ledger_.ask(certificate.dns_name);
  }

  // The invariants on one read of the cluster (`converged`: everything must
  // be Ready, every Secret there and matching).
  std::vector<std::string> check(bool converged) { return check(snapshot(sim_), converged); }

  // Waits until every Certificate is Ready, none Issuing, every Secret there
  // and matching; the seconds it took, or nullopt after `bound`. Every read
  // on the way is checked: what it finds wrong goes to `violation`.
  template <class Report>
  std::optional<double> converge(std::chrono::seconds bound, Report violation) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < bound) {
      if (::waitpid(controller_->pid(), nullptr, WNOHANG) != 0)
        throw std::runtime_error("the controller exited on its own; its log ends:\n" +
                                 log_tail(log_));
      const ClusterSnapshot s = snapshot(sim_);
      if (remaining(s).empty()) {
        deleted_.clear();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      for (const auto& fault : check(s, false))
        violation(fault);
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return std::nullopt;
  }

  // The running controller's reconciles that last failed and wait for their
  // retry (certmill_workqueue_failing, all shards); nothing while no
  // controller answers on its metrics port. Any thread may ask.
  std::optional<double> failing_reconciles() const {
    try {
      const auto scrape = plain_http_get(metrics_port_, "/metrics");
      if (scrape.status != 200)
        return std::nullopt;
      return metric_total(scrape.body, "certmill_workqueue_failing");
    } catch (const std::system_error&) {
      return std::nullopt;  // not listening yet
    }
  }

  // What keeps the cluster from having converged.
  std::vector<std::string> remaining() { return remaining(snapshot(sim_)); }

  OrderLedger::Reading read_orders() { return ledger_.read(front_); }

  const std::vector<FleetCertificate>& fleet() const { return fleet_; }
  const AcmeFront& front() const { return front_; }
  const std::string& pebble_root() const { return pebble_root_; }
  KubeSim& sim() { return sim_; }
  SignedOnce& signed_once() { return signed_once_; }

 private:
  std::vector<std::string> check(const ClusterSnapshot& s, bool converged) {
    auto found = secret_violations(s, fleet_, pebble_root_, converged, deleted_);
    for (auto& fault : signed_once_.check(s.requests))
      found.push_back(std::move(fault));
    return found;
  }

  std::vector<std::string> remaining(const ClusterSnapshot& s) const {
    auto left = secret_violations(s, fleet_, pebble_root_, true);
    for (const auto& [name, certificate] : s.certificates)
      if (has_condition(certificate, "Issuing", "True"))
        left.push_back(name + ": Issuing");
    return left;
  }

  KubeSim sim_;
  Pebble pebble_;
  AcmeFront front_;
  std::vector<FleetCertificate> fleet_;
  std::string pebble_root_;
  std::string log_;
  std::string flags_;  // more for the controller
  unsigned short metrics_port_ = fleet::free_port();
  std::unique_ptr<fleet::ChildProcess> controller_;
  std::set<std::string> deleted_;  // Secrets deleted since the last convergence
  OrderLedger ledger_;
  SignedOnce signed_once_;
};

}  // namespace certmill::test
