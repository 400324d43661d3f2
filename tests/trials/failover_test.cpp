// Leader failover (issue #25): two replicas of the shipped controller on one
// kube-sim, each with a ServiceAccount of its own so kube-sim counts their
// writes apart; a fleet half from a CA issuer, half by ACME HTTP-01 through
// Pebble behind acme-front. Replica A leads and places an order for every
// ACME Certificate (the CA shows no authorization yet, so none finishes);
// replica B stands by and writes nothing. Then A goes: killed with SIGKILL,
// B takes the Lease within the lease duration and a retry period and
// continues A's orders from their URLs (no newOrder more, nothing signed
// twice, every Secret whole and matching); stopped with SIGTERM, A releases
// the Lease and B takes it at its next retry, and A writes nothing more once
// it has let go.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/trials/failover_replicas.hpp"
#include "tests/trials/kill_trial_fleet.hpp"
#include "tests/trials/kill_trial_invariants.hpp"
#include "tests/trials/order_ledger.hpp"

namespace {

using namespace certmill::test;
using Clock = std::chrono::steady_clock;

constexpr const char* kCertificates = "/apis/cert-manager.io/v1/namespaces/shop/certificates";
constexpr const char* kRequests = "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests";

PebbleOptions failover_pebble() {
  PebbleOptions options = PebbleOptions::always_valid_on_loopback();
  options.nonce_reject = 0;  // every newOrder is then an order
  return options;
}

// kube-sim with the fleet and the replicas' ServiceAccounts, Pebble behind
// acme-front with the authorizations held back: orders are placed, and wait.
struct World {
  explicit World(int certificates)
      : pebble(failover_pebble()),
        front(pebble, kRateLimitsOff),
        fleet(kill_trial_fleet(certificates)),
        pebble_root(pebble.root_pem()) {
    apply_crds(sim);
    install_service_accounts(sim, {"certmill-a", "certmill-b"});
    for (const std::string& doc : yaml_documents(kill_trial_manifests(front, fleet)))
      must_create(sim, collection_path(yaml_field(doc, "kind", 0), yaml_field(doc, "namespace", 2)),
                  doc, "application/yaml");
    for (const auto& certificate : fleet)
      if (certificate.acme) {
        ++acme;
        ledger.ask(certificate.dns_name);
      }
    front.must_post("/fault", R"({"kind": "authorization", "status": 503,
        "content_type": "application/problem+json",
        "body": "{\"type\": \"urn:ietf:params:acme:error:serverInternal\", \"detail\": \"down\"}"})");
  }
  void release_authorizations() { front.must_post("/fault", R"({"kind": "authorization"})"); }

  ScratchDir dir;
  KubeSim sim;
  Pebble pebble;
  AcmeFront front;
  std::vector<FleetCertificate> fleet;
  std::string pebble_root;
  std::size_t acme = 0;
  OrderLedger ledger;
  SignedOnce signed_once;
};

std::string logs(const std::vector<const Replica*>& replicas) {
  std::string text;
  for (const auto* r : replicas)
    text += "--- " + r->account() + " log ends:\n" + log_tail(r->log()) + "\n";
  return text;
}

std::string last_line(const std::string& text) {
  const auto end = text.find_last_not_of('\n');
  if (end == std::string::npos)
    return {};
  return text.substr(text.rfind('\n', end) + 1);
}

// Polls `done` every 20 ms; the seconds until it held, or fails the test
// after `bound` or when a replica in `alive` exits.
template <class Done>
double wait_for(const char* what, std::chrono::seconds bound,
                const std::vector<const Replica*>& alive, Done done) {
  const auto start = Clock::now();
  while (!done()) {
    INFO("waiting until " << what << "\n" << logs(alive));
    for (const auto* r : alive)
      REQUIRE(r->running());
    REQUIRE(Clock::now() - start < bound);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A leads, with an Order placed for every ACME Certificate; B started and
// standing by for a few retry periods, in which A's write count grows (its
// renewals: the count sees writes) and B's stays 0. The Lease's holder.
std::string lead_and_stand_by(World& w, Replica& a, Replica& b) {
  a.start();
  std::string leader;
  wait_for("A holds the Lease", std::chrono::seconds(30), {&a},
           [&] { return !(leader = lease_holder(w.sim)).empty(); });
  wait_for("A placed an order for every ACME Certificate", std::chrono::seconds(60), {&a},
           [&] { return order_urls(w.sim).size() == w.acme; });
  b.start();
  const std::int64_t a_before = writes_by(w.sim, a.account());
  std::this_thread::sleep_for(std::chrono::seconds(3 * kRetrySeconds));
  INFO(logs({&a, &b}));
  REQUIRE(a.running());
  REQUIRE(b.running());
  REQUIRE(lease_holder(w.sim) == leader);
  CHECK(a_before > 0);
  CHECK(writes_by(w.sim, a.account()) > a_before);
  CHECK(writes_by(w.sim, b.account()) == 0);
  CHECK(with_condition(w.sim, kCertificates, "Ready", "True") < static_cast<int>(w.fleet.size()));
  return leader;
}

struct Takeover {
  double seconds = 0;                   // from A's signal until the Lease named B
  std::int64_t standby_writes = 0;      // B's, read while the Lease was not B's
  std::int64_t old_leader_writes = -1;  // A's, read once the Lease had left A
};

// Until the Lease names someone but `leader` (A). Each poll reads B's write
// count before the Lease, so a count read while the Lease was not yet B's is
// a standby's; and A's after it, so A's count includes its release.
Takeover takeover(World& w, const Replica& a, const Replica& b, const std::string& leader,
                  Clock::time_point signalled) {
  Takeover t;
  wait_for("B holds the Lease", std::chrono::seconds(3 * kLeaseSeconds), {&b}, [&] {
    const std::int64_t written = writes_by(w.sim, b.account());
    const std::string holder = lease_holder(w.sim);
    if (holder != leader && t.old_leader_writes < 0)
      t.old_leader_writes = writes_by(w.sim, a.account());
    if (holder.empty() || holder == leader) {
      t.standby_writes = std::max(t.standby_writes, written);
      return false;
    }
    return true;
  });
  t.seconds = std::chrono::duration<double>(Clock::now() - signalled).count();
  return t;
}

// Until every Certificate is Ready with its Secret whole and matching;
// every read on the way goes through the signed-once check.
void converge(World& w, const Replica& b, std::vector<std::string>& violations) {
  wait_for("every Certificate is Ready", std::chrono::seconds(60), {&b}, [&] {
    const ClusterSnapshot s = snapshot(w.sim);
    for (auto& fault : w.signed_once.check(s.requests))
      violations.push_back(std::move(fault));
    auto left = secret_violations(s, w.fleet, w.pebble_root, true);
    for (const auto& [name, certificate] : s.certificates)
      if (has_condition(certificate, "Issuing", "True"))
        left.push_back(name + ": Issuing");
    return left.empty();
  });
}

// What must hold once B has finished A's work, and the positive controls
// that show each zero could see a fault.
void check_finished(World& w, const std::map<std::string, std::string>& placed,
                    const std::vector<std::string>& violations) {
  CHECK(violations.empty());
  const auto orders = w.ledger.read(w.front);
  CHECK(orders.violations.empty());
  CHECK(orders.orders == static_cast<std::int64_t>(w.acme));
  CHECK(orders.extra == 0);
  CHECK(new_order_requests(w.front) == static_cast<std::int64_t>(w.acme));
  CHECK(order_urls(w.sim) == placed);
  const int n = static_cast<int>(w.fleet.size());
  CHECK(with_condition(w.sim, kRequests, "Ready", "False", "Failed") == 0);
  CHECK(with_condition(w.sim, kRequests, "Ready", "True", "Issued") == n);

  const ClusterSnapshot s = snapshot(w.sim);
  CHECK(secret_violations(s, w.fleet, w.pebble_root, true).empty());
  CHECK(s.requests.size() == w.fleet.size());
  // Controls, in memory: another Secret's key, and a request signed anew.
  auto swapped = s;
  swapped.secrets.at("ca-0-tls").as_object()["data"].as_object()["tls.key"] =
      s.secrets.at("ca-1-tls").at("data").at("tls.key");
  CHECK(secret_violations(swapped, w.fleet, w.pebble_root, true) ==
        std::vector<std::string>{"ca-0: tls.key is not the key of tls.crt under Ready=True"});
  boost::json::array resigned = s.requests;
  resigned.at(0).at("status").as_object()["certificate"] = "Y2hhbmdlZA==";
  CHECK(w.signed_once.check(resigned).size() == 1);
}

}  // namespace

TEST_CASE(
    "kill -9 of the leader mid-issuance: the standby takes over within the lease and orders "
    "nothing twice",
    "[trials][failover]") {
  World w(40);
  Replica a(w.sim, w.dir, w.pebble, "certmill-a");
  Replica b(w.sim, w.dir, w.pebble, "certmill-b");
  const auto started = Clock::now();
  const std::string leader = lead_and_stand_by(w, a, b);
  const auto placed = order_urls(w.sim);
  const int ready_at_kill = with_condition(w.sim, kCertificates, "Ready", "True");
  CHECK(new_order_requests(w.front) == static_cast<std::int64_t>(w.acme));

  a.signal(SIGKILL);
  const auto killed = Clock::now();
  a.reap(std::chrono::seconds(10));
  w.release_authorizations();
  const Takeover taken = takeover(w, a, b, leader, killed);
  std::vector<std::string> violations;
  converge(w, b, violations);
  const double finished = std::chrono::duration<double>(Clock::now() - killed).count();
  INFO(logs({&b}));

  CHECK(taken.standby_writes == 0);
  // B sees A's last renewal within a retry period of it, then takes the
  // Lease once it has seen it unchanged for a lease duration; its seven
  // polls on the way each add a round trip to kube-sim (a few ms), the
  // test's own polling 20 ms.
  CHECK(taken.seconds <= kLeaseSeconds + kRetrySeconds + 0.25);
  CHECK(taken.old_leader_writes > 0);
  CHECK(writes_by(w.sim, a.account()) == taken.old_leader_writes);
  CHECK(writes_by(w.sim, b.account()) > 0);
  check_finished(w, placed, violations);
  std::printf(
      "failover by SIGKILL: %zu Certificates (%zu ACME, %zu orders in flight; %d Ready at the "
      "kill); B held the Lease %.2f s after the kill (lease %d s, retry %d s), all Ready %.2f s "
      "after it; writes: A %lld, B as standby %lld, B in all %lld; %.1f s in all\n",
      w.fleet.size(), w.acme, placed.size(), ready_at_kill, taken.seconds, kLeaseSeconds,
      kRetrySeconds, finished, static_cast<long long>(taken.old_leader_writes),
      static_cast<long long>(taken.standby_writes),
      static_cast<long long>(writes_by(w.sim, b.account())),
      std::chrono::duration<double>(Clock::now() - started).count());
}

TEST_CASE(
    "SIGTERM of the leader mid-issuance: it releases the Lease, the standby takes it at its next "
    "retry, and the old leader writes nothing more",
    "[trials][failover]") {
  World w(20);
  Replica a(w.sim, w.dir, w.pebble, "certmill-a");
  Replica b(w.sim, w.dir, w.pebble, "certmill-b");
  const std::string leader = lead_and_stand_by(w, a, b);
  const auto placed = order_urls(w.sim);

  a.signal(SIGTERM);
  const auto signalled = Clock::now();
  w.release_authorizations();
  // A's release is its last write: its count once the Lease has left it.
  const Takeover taken = takeover(w, a, b, leader, signalled);
  std::vector<std::string> violations;
  converge(w, b, violations);
  // Its in-flight work may run for the 30 s grace period: every write it
  // makes until it exits is counted.
  const int a_exit = a.reap(std::chrono::seconds(45));
  const double exited = std::chrono::duration<double>(Clock::now() - signalled).count();
  INFO(logs({&b}) << "--- certmill-a log ends:\n" << log_tail(a.log()));

  CHECK(a_exit == 0);
  CHECK(taken.standby_writes == 0);
  CHECK(taken.seconds < 2 * kRetrySeconds);
  CHECK(taken.old_leader_writes > 0);
  CHECK(writes_by(w.sim, a.account()) == taken.old_leader_writes);
  CHECK(writes_by(w.sim, b.account()) > 0);
  check_finished(w, placed, violations);
  std::printf(
      "failover by SIGTERM: %zu Certificates (%zu orders in flight); B held the Lease %.2f s "
      "after the signal (lease %d s, retry %d s); A exited %.2f s after it, with %lld writes "
      "after the Lease left it; its last log line:\n%s",
      w.fleet.size(), placed.size(), taken.seconds, kLeaseSeconds, kRetrySeconds, exited,
      static_cast<long long>(writes_by(w.sim, a.account()) - taken.old_leader_writes),
      last_line(slurp(a.log())).c_str());
}
