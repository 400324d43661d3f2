// Limits written as COUNT/PERIOD, as acme-front's flags and the
// certmill.io/rate-limits annotation take them.
#include "core/ratelimits/bucket.hpp"

#include <charconv>

namespace certmill::ratelimits {

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

}  // namespace certmill::ratelimits
