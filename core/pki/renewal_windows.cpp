// Window starts found on the zone's wall clock, then turned into instants. A
// wall time is not monotonic in its instant across a change of offset, so the
// search covers every wall time that can name an instant at or after `from`.
#include "core/pki/renewal_windows.hpp"

namespace certmill::pki {

using namespace std::chrono;

std::optional<Time> next_window_start(const RenewalWindow& window, Time from) {
  const schedule::Zone& zone = *window.zone;
  // A wall time w names an instant in [w - max_offset, w - min_offset]: none
  // before from + min_offset can reach `from`, and once a start is found, none
  // after it + max_offset can come earlier.
  auto wall = schedule::LocalMinute(
      ceil<minutes>(local_seconds((from + zone.min_offset()).time_since_epoch())));
  std::optional<Time> best;
  while (auto fire = window.cron.next(wall)) {
    if (best && local_seconds(fire->time_since_epoch()) >
                    local_seconds((*best + zone.max_offset()).time_since_epoch()))
      break;
    const Time at = zone.to_utc(local_seconds(*fire));
    if (at >= from && (!best || at < *best))
      best = at;
    wall = *fire + minutes(1);
  }
  return best;
}

std::optional<Time> first_window_time(Time desired, Time not_after,
                                      std::span<const RenewalWindow> windows) {
  std::optional<Time> best;
  for (const RenewalWindow& window : windows) {
    if (window.length <= Duration::zero())
      continue;
    // A window open at `desired` started after desired - length.
    const Time opened_after = floor<seconds>(desired - window.length) + seconds(1);
    auto start = next_window_start(window, opened_after);
    if (!start)
      continue;
    const Time at = std::max(*start, desired);
    if (at < not_after && (!best || at < *best))
      best = at;
  }
  return best;
}

}  // namespace certmill::pki
