// The kill trial's closing table, printed for the log and for RESULTS.md:
// kills, extra ACME orders per kill, invariant violations, and the time to
// converge after each kill (min / median / p95 / max, nearest rank).
// Header-only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace certmill::test {

struct KillTrialTotals {
  unsigned long long seed = 0;
  int certificates = 0;
  int kills = 0;
  int kills_in_flight = 0;  // that left some Certificate unfinished
  std::int64_t orders = 0;
  std::int64_t extra_orders = 0;
  std::int64_t most_extra_in_one_kill = 0;
  std::int64_t most_extra_for_one_name = 0;
  int renewals = 0;
  int deletions = 0;
  std::size_t violations = 0;
  std::vector<double> converge_seconds;  // one per kill
};

// The value at nearest rank `p` (0..1) of sorted `v`; 0 when empty.
inline double nearest_rank(const std::vector<double>& v, double p) {
  if (v.empty())
    return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

inline void print_summary(const KillTrialTotals& t) {
  std::vector<double> s = t.converge_seconds;
  std::sort(s.begin(), s.end());
  std::printf("\n| kill trial, seed %llu, %d Certificates | |\n|---|---|\n", t.seed,
              t.certificates);
  std::printf("| kills (SIGKILL) / with work unfinished | %d / %d |\n", t.kills, t.kills_in_flight);
  std::printf("| renewals asked / Secrets deleted | %d / %d |\n", t.renewals, t.deletions);
  std::printf("| ACME orders created, in all | %lld |\n", static_cast<long long>(t.orders));
  std::printf(
      "| extra orders: total / most in one kill / most for one name in one kill | %lld / "
      "%lld / %lld |\n",
      static_cast<long long>(t.extra_orders), static_cast<long long>(t.most_extra_in_one_kill),
      static_cast<long long>(t.most_extra_for_one_name));
  std::printf("| invariant violations | %zu |\n", t.violations);
  std::printf(
      "| time to converge after a kill, s: min / median / p95 / max | %.2f / %.2f / "
      "%.2f / %.2f |\n",
      s.empty() ? 0.0 : s.front(), nearest_rank(s, 0.5), nearest_rank(s, 0.95),
      s.empty() ? 0.0 : s.back());
  std::fflush(stdout);
}

}  // namespace certmill::test
