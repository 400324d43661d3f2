// GCRA arithmetic: a token is there when taking it would not push the
// theoretical arrival time more than one period past now.
#include "tools/acme-front/bucket.hpp"

#include <algorithm>
#include <charconv>

namespace certmill::acmefront {

Result<LimitSpec> parse_limit_spec(std::string_view text) {
  const auto fail = [&] {
    return Error(Errc::invalid_argument,
                 "\"" + std::string(text) +
                     "\" is not a limit: write COUNT/PERIOD such as 300/3h or 50/168h, or 0 for "
                     "no limit");
  };
  if (text == "0")
    return LimitSpec{};
  const auto slash = text.find('/');
  if (slash == std::string_view::npos)
    return fail();
  LimitSpec spec;
  const std::string_view count = text.substr(0, slash);
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), spec.count);
  if (ec != std::errc() || end != count.data() + count.size() || count.empty())
    return fail();
  auto period = parse_duration(text.substr(slash + 1));
  if (!period || period->count() <= 0 || (spec.count > 0 && *period / spec.count <= Duration{}))
    return fail();
  spec.period = *period;
  return spec;
}

std::string format_limit_spec(const LimitSpec& spec) {
  if (spec.count == 0)
    return "0";
  return std::to_string(spec.count) + "/" + format_duration(spec.period);
}

Bucket::Bucket(LimitSpec spec)
    : spec_(spec), emission_(spec.count == 0 ? Duration{} : spec.period / spec.count) {}

Duration Bucket::wait(Instant now) const {
  if (spec_.count == 0 || !arrival_)
    return Duration{};
  const Instant after = std::max(*arrival_, now) + emission_;
  const Duration over = (after - now) - spec_.period;
  return std::max(over, Duration{});
}

void Bucket::consume(Instant now) {
  if (spec_.count == 0)
    return;
  arrival_ = std::max(arrival_.value_or(now), now) + emission_;
}

}  // namespace certmill::acmefront
