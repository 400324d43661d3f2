// A simulated year of one Let's Encrypt account (tests/support/rate_limit_year):
// 44,500 certificates renewing, a burst of 5,000 new ones on one day and 500
// on one registered domain, under Let's Encrypt's production limits. Prints
// the year's totals as a Markdown table, and with --days FILE the per-day
// series that bench/plots/rate_limit_year.sh plots.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/ratelimits/limits.hpp"
#include "tests/support/rate_limit_year.hpp"
#include "tools/cli/flags.hpp"

using namespace certmill;

int main(int argc, char** argv) {
  std::string days_file;
  simulation::YearPlan plan;
  unsigned existing = static_cast<unsigned>(plan.existing);
  unsigned burst = static_cast<unsigned>(plan.burst);
  unsigned one_domain = static_cast<unsigned>(plan.one_domain);
  cli::FlagSet flags("bench_rate_limit_year",
                     "A simulated year of one ACME account under Let's Encrypt's limits.");
  flags.add("existing", &existing, "certificates that exist at the start");
  flags.add("burst", &burst, "new Certificates created on one day");
  flags.add("one-domain", &one_domain, "new Certificates on one registered domain");
  flags.add("days", &days_file, "write the per-day series to this file");
  if (auto exit_code = flags.parse_main(argc, argv))
    return *exit_code;
  plan.existing = existing;
  plan.burst = burst;
  plan.one_domain = one_domain;
  const auto limits = ratelimits::lets_encrypt_production();
  const auto began = std::chrono::steady_clock::now();
  std::fprintf(stderr, "simulating %zu certificates over %d days ...\n",
               plan.existing + plan.burst + plan.one_domain, plan.days);
  const auto report = simulation::simulate_year(plan, limits, limits);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  using std::chrono::duration_cast;
  using hours = std::chrono::duration<double, std::ratio<3600>>;
  std::printf(
      "| certificates | orders | issued | refused (429) | expired | projected misses | "
      "failed authz | worst margin before expiry | longest wait of a new one | "
      "simulated in |\n|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %.1f days | %.1f h | %.1f s |\n",
              report.certificates, report.orders, report.issued, report.refused, report.expired,
              report.projected_misses, report.failed_authorizations,
              duration_cast<hours>(report.worst_margin).count() / 24,
              duration_cast<hours>(report.longest_new_wait).count(), took.count());
  if (!days_file.empty()) {
    std::ofstream out(days_file);
    out << "# day counted_orders exempt_orders most_waiting least_account_tokens\n";
    for (const auto& day : report.days) {
      out << day.day << ' ' << day.counted_orders << ' ' << day.exempt_orders << ' '
          << day.most_waiting << ' '
          << (day.least_account_tokens == ~0u ? 0 : day.least_account_tokens) << '\n';
    }
  }
  return report.refused == 0 && report.expired == 0 ? 0 : 1;
}
