// kill -9 at seeded random instants (issue #25): a fleet, half from a CA
// issuer and half by ACME HTTP-01 through Pebble, and rounds that each put
// work in flight (10-20 % of the Certificates renewed as `certmill renew`
// does, sometimes Secrets deleted), SIGKILL the shipped controller after a
// random delay, check the cluster, restart it and wait until everything is
// Ready again. Nothing may be half-written or mismatched, no request signed
// twice, no ACME name given more than one extra order per kill.
// CERTMILL_TRIAL_CERTIFICATES (40), CERTMILL_TRIAL_KILLS (3) and
// CERTMILL_TRIAL_SEED (25) size and seed it; the kill comes 0 to
// CERTMILL_TRIAL_KILL_WINDOW_MS (1000) after the work; CERTMILL_TRIAL_LOG
// keeps the controllers' log. A seed draws the same rounds; where in the
// work a kill lands still depends on the machine's timing.
#include "tests/trials/kill_trial.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/openssl_cli.hpp"
#include "tests/trials/kill_trial_controls.hpp"
#include "tests/trials/kill_trial_summary.hpp"

namespace {

using namespace certmill::test;

unsigned long long env_number(const char* name, unsigned long long fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::stoull(text) : fallback;
}

// What one round does, drawn from the seed.
struct Round {
  std::vector<std::size_t> renewed;    // fleet indices
  std::vector<std::size_t> deleted;    // fleet indices whose Secret goes
  bool warm = false;                   // the work reaches the running controller, else a fresh one
  std::chrono::milliseconds delay{0};  // from the work (or the start) to SIGKILL
};

// `leaves`: the fleet's indices but the root's, which signs half the fleet.
Round draw(std::mt19937_64& random, std::vector<std::size_t>& leaves, int window) {
  using Pick = std::uniform_int_distribution<std::size_t>;
  const std::size_t n = leaves.size();
  std::shuffle(leaves.begin(), leaves.end(), random);
  const std::size_t renewals =
      Pick(std::max<std::size_t>(1, n / 10), std::max<std::size_t>(1, n / 5))(random);
  const std::size_t deletions =
      Pick(0, 1)(random) * Pick(1, std::max<std::size_t>(1, n / 50))(random);
  Round round;
  round.renewed.assign(leaves.begin(), leaves.begin() + static_cast<long>(renewals));
  round.deleted.assign(leaves.begin() + static_cast<long>(renewals),
                       leaves.begin() + static_cast<long>(renewals + deletions));
  round.warm = Pick(0, 1)(random) == 1;
  round.delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, window)(random));
  return round;
}

}  // namespace

TEST_CASE(
    "kill -9 at seeded random instants: Secrets stay whole and matching, nothing is signed "
    "twice, everything comes back Ready",
    "[trials][kill-trial]") {
  KillTrialTotals totals;
  totals.seed = env_number("CERTMILL_TRIAL_SEED", 25);
  totals.certificates = static_cast<int>(env_number("CERTMILL_TRIAL_CERTIFICATES", 40));
  const int kills = static_cast<int>(env_number("CERTMILL_TRIAL_KILLS", 3));
  const int window = static_cast<int>(env_number("CERTMILL_TRIAL_KILL_WINDOW_MS", 1000));
  REQUIRE(totals.certificates >= 4);
  std::printf(
      "kill trial: seed %llu (CERTMILL_TRIAL_SEED), %d Certificates, %d kills, each "
      "0-%d ms after the work\n",
      totals.seed, totals.certificates, kills, window);
  std::mt19937_64 random(totals.seed);
  ScratchDir dir;
  const char* kept_log = std::getenv("CERTMILL_TRIAL_LOG");
  const std::string log = kept_log && *kept_log ? kept_log : dir.path("certmill.log");
  KillTrial trial(totals.certificates, log);
  std::vector<std::string> violations;
  int kill = 0;
  const auto violation = [&](const std::string& what) {
    const std::string line = "kill " + std::to_string(kill) + ": " + what;
    if (std::find(violations.begin(), violations.end(), line) != violations.end())
      return;
    std::printf("VIOLATION (seed %llu) %s\n", totals.seed, line.c_str());
    violations.push_back(line);
  };
  const auto converge = [&](std::chrono::seconds bound) {
    const auto seconds = trial.converge(bound, violation);
    INFO("not converged: " << Catch::Detail::stringify(trial.remaining())
                           << "\ncontroller log ends:\n"
                           << log_tail(log));
    REQUIRE(seconds);
    for (const auto& fault : trial.check(true))
      violation(fault);
    const auto orders = trial.read_orders();
    for (const auto& fault : orders.violations)
      violation(fault);
    return std::make_pair(*seconds, orders);
  };

  trial.start();
  const auto [first, setup] = converge(std::chrono::seconds(600));
  // The order count sees orders: one per ACME Certificate so far.
  REQUIRE(setup.orders >= totals.certificates / 2);
  std::printf("setup: %d Certificates Ready in %.1f s, %lld orders\n", totals.certificates, first,
              static_cast<long long>(setup.orders));
  trial.stop();
  kill_trial_positive_controls(trial);
  trial.start();

  const auto& fleet = trial.fleet();
  std::vector<std::size_t> leaves(fleet.size() - 1);
  std::iota(leaves.begin(), leaves.end(), 1);
  for (kill = 1; kill <= kills; ++kill) {
    const Round round = draw(random, leaves, window);
    if (!round.warm)
      trial.stop();
    std::vector<const FleetCertificate*> renewed;
    for (const std::size_t i : round.renewed)
      renewed.push_back(&fleet[i]);
    trial.renew(renewed);
    for (const std::size_t i : round.deleted)
      trial.delete_secret(fleet[i]);
    if (!round.warm)
      trial.start();
    std::this_thread::sleep_for(round.delay);
    trial.kill();
    for (const auto& fault : trial.check(false))
      violation(fault);
    const std::size_t unfinished = trial.remaining().size();
    trial.start();
    const auto [seconds, orders] = converge(std::chrono::seconds(300));
    totals.kills = kill;
    totals.kills_in_flight += unfinished > 0 ? 1 : 0;
    totals.renewals += static_cast<int>(round.renewed.size());
    totals.deletions += static_cast<int>(round.deleted.size());
    totals.orders = orders.orders;
    totals.extra_orders += orders.extra;
    totals.most_extra_in_one_kill = std::max(totals.most_extra_in_one_kill, orders.extra);
    totals.most_extra_for_one_name = std::max(totals.most_extra_for_one_name, orders.most_for_one);
    totals.converge_seconds.push_back(seconds);
    std::printf(
        "kill %d/%d: %s, %zu renewed, %zu Secrets deleted, SIGKILL after %lld ms with %zu "
        "unfinished; converged in %.2f s; orders %lld (%+lld extra); violations so far "
        "%zu\n",
        kill, kills, round.warm ? "warm" : "cold", round.renewed.size(), round.deleted.size(),
        static_cast<long long>(round.delay.count()), unfinished, seconds,
        static_cast<long long>(orders.orders), static_cast<long long>(orders.extra),
        violations.size());
    std::fflush(stdout);
  }
  totals.violations = violations.size();
  print_summary(totals);
  INFO(Catch::Detail::stringify(violations));
  CHECK(violations.empty());
}
