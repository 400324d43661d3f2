// Fuzzer: the small text formats that come from outside — Go durations
// (annotations, flags), RFC 3339 times (API objects), HTTP dates,
// Retry-After and Link headers (CA answers), URLs, base64 and base64url,
// cron expressions and time zones (TZif files and their POSIX TZ footers)
// of spec.renewal.windows.
// Each must answer any bytes with a value or an error, never a crash; what
// parses must format back to something that parses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/acme/base64url.hpp"
#include "core/acme/link.hpp"
#include "core/base64.hpp"
#include "core/duration.hpp"
#include "core/http_url.hpp"
#include "core/schedule/cron.hpp"
#include "core/schedule/posix_tz.hpp"
#include "core/schedule/tzif.hpp"
#include "core/time.hpp"

using namespace certmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = parse_duration(text)) {
    if (!parse_duration(format_duration(*d)))
      __builtin_trap();
  }
  if (auto t = parse_rfc3339(text)) {
    if (!parse_rfc3339(format_micro_time(*t)))
      __builtin_trap();
  }
  const Time now = Time{} + std::chrono::seconds(1'700'000'000);
  (void)acme::parse_retry_after(text, now);
  (void)acme::parse_http_date(text);
  (void)acme::link_targets(text, "up");
  (void)parse_http_url(text);
  (void)base64_decode(text);
  (void)acme::base64url_decode(text);
  if (auto cron = schedule::Cron::parse(text))
    (void)cron->next(schedule::LocalMinute(std::chrono::minutes(29'000'000)));
  if (auto tz = schedule::PosixTz::parse(text)) {
    (void)tz->offset_at(2'000'000'000);
    (void)tz->next_transition(2'000'000'000);
  }
  // A zone that parses answers lookups and wall times anywhere in its range.
  if (auto zone = schedule::Zone::parse_tzif(text)) {
    for (const Time t : {now, now + std::chrono::hours(24 * 365 * 30), Time{}}) {
      (void)zone->offset_at(t);
      (void)zone->to_utc(zone->to_local(t));
    }
  }
  return 0;
}
