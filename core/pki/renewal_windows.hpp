// cert-manager's renewal windows (spec.renewal.windows, v1.21): cron-scheduled
// stretches of local time that further restrict when a certificate, due by
// renewBefore or the CA's advice, may actually be renewed.
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "core/duration.hpp"
#include "core/schedule/cron.hpp"
#include "core/schedule/tzif.hpp"
#include "core/time.hpp"

namespace certmill::pki {

// Open from each activation of `cron` on the wall clock of `zone`, for `length`.
struct RenewalWindow {
  schedule::Cron cron;
  std::shared_ptr<const schedule::Zone> zone;
  Duration length{};
};

// The earliest instant at or after `desired` and before `not_after` inside an
// open window of any of `windows`: `desired` itself when a window is open
// then. nullopt when no window opens before notAfter (the caller then renews
// at `desired` rather than let the certificate expire).
std::optional<Time> first_window_time(Time desired, Time not_after,
                                      std::span<const RenewalWindow> windows);

// The first activation of `window` at or after `from`, as an instant; nullopt
// when it never fires within the cron search span.
std::optional<Time> next_window_start(const RenewalWindow& window, Time from);

}  // namespace certmill::pki
