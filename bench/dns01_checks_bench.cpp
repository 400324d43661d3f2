// DNS-01 propagation checks at scale (issue #21): N checks in flight at once
// on one shard's Dns01Resolver, as a shard with N DNS-01 challenges runs
// them, against Debian's BIND on loopback (tests/support/named_server.hpp).
// Each check is the whole of cert-manager's PreCheckDNS: the SOA walk from
// the record name to the zone, its NS and their addresses, then the TXT
// question to every authoritative server, which must hold the value.
// `--names` records (each with its value) are spread over the checks.
// Measured per round: wall time until every check has ended, checks per
// second, how many passed, and the heap the process holds once every check
// has started (their frames, requests and c-ares state; malloc's count, not
// RSS, so each round measures its own) over what it held before, divided by
// the checks then in flight; and the process's peak RSS. Prints Markdown
// table rows.
#include <chrono>
#include <cstdio>
#include <malloc.h>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "core/acme/jwk.hpp"
#include "solvers/dns/dns01_resolver.hpp"
#include "solvers/dns/propagation.hpp"
#include "tests/support/named_server.hpp"
#include "tools/cli/flags.hpp"
#include "tools/fleet/process_usage.hpp"

using namespace certmill;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct Round {
  double seconds = 0;
  unsigned passed = 0;
  std::string first_failure;
  unsigned in_flight = 0;    // checks started and not ended, when measured
  double in_flight_mib = 0;  // the heap in use then, over what it was before
  double peak_rss_mib = 0;   // the process's, so far
};

// What malloc has handed out and not taken back: unlike RSS, it falls when
// a round's checks end, so every round measures its own.
double heap_in_use_mib() {
  return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0);
}

Round run_round(unsigned checks, unsigned names, unsigned window, unsigned short port) {
  asio::io_context io;
  solvers::dns::Dns01Resolver resolver(
      io.get_executor(), {.recursive_nameservers = {{"127.0.0.1", port}}, .max_in_flight = window});
  Round round;
  const double before = heap_in_use_mib();
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(120);
  unsigned ended = 0;
  for (unsigned i = 0; i < checks; ++i) {
    const unsigned name = i % names;
    asio::co_spawn(
        io,
        [&, name]() -> asio::awaitable<void> {
          const Status checked = co_await solvers::dns::check_dns01_propagation(
              resolver, "_acme-challenge.n" + std::to_string(name) + ".example.test",
              acme::dns01_txt_value("value-" + std::to_string(name)), {.authoritative_port = port},
              deadline);
          ++ended;
          if (checked)
            ++round.passed;
          else if (round.first_failure.empty())
            round.first_failure = checked.error().message();
        },
        asio::detached);
  }
  // Runs once every check has started and waits on its first question
  // (posted after them all); answers that came in meanwhile ended a few.
  asio::post(io, [&] {
    round.in_flight = checks - ended;
    round.in_flight_mib = heap_in_use_mib() - before;
  });
  io.run();
  round.peak_rss_mib = fleet::usage_of(::getpid()).peak_rss_mib;
  round.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return round;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned checks = 10000;
  unsigned names = 100;
  unsigned rounds = 3;
  unsigned window = static_cast<unsigned>(solvers::AresChannelOptions{}.max_in_flight);
  cli::FlagSet flags("bench_dns01_checks",
                     "Runs N DNS-01 propagation checks at once against a real BIND on loopback\n"
                     "and prints Markdown table rows.");
  flags.add("checks", &checks, "checks in flight at once");
  flags.add("names", &names, "distinct record names the checks ask about");
  flags.add("rounds", &rounds, "rounds, each with a new resolver");
  flags.add("window", &window, "questions on the wire at once per c-ares channel");
  if (auto exit_code = flags.parse_main(argc, argv))
    return *exit_code;
  if (checks == 0 || names == 0 || window == 0) {
    std::fprintf(stderr, "bench_dns01_checks: --checks, --names and --window must be at least 1\n");
    return 2;
  }
  try {
    test::NamedServer named;
    std::fprintf(stderr, "  named on 127.0.0.1:%u; adding %u TXT records\n", named.port, names);
    for (unsigned i = 0; i < names; ++i) {
      const std::string value = acme::dns01_txt_value("value-" + std::to_string(i));
      if (!named.nsupdate_add("_acme-challenge.n" + std::to_string(i) + ".example.test", value))
        throw std::runtime_error("nsupdate could not add record " + std::to_string(i));
    }
    std::printf(
        "| round | window | checks at once | names | time | checks/s | passed | in flight | "
        "heap in flight | per check in flight | peak RSS |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (unsigned r = 1; r <= rounds; ++r) {
      const Round round = run_round(checks, names, window, named.port);
      if (!round.first_failure.empty())
        std::fprintf(stderr, "  round %u: first failure: %s\n", r, round.first_failure.c_str());
      std::printf(
          "| %u | %u | %u | %u | %.2f s | %.0f | %u | %u | %.1f MiB | %.2f KiB | %.1f MiB |\n", r,
          window, checks, names, round.seconds, checks / round.seconds, round.passed,
          round.in_flight, round.in_flight_mib, round.in_flight_mib * 1024.0 / round.in_flight,
          round.peak_rss_mib);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_dns01_checks: %s\n", e.what());
    return 1;
  }
  return 0;
}
