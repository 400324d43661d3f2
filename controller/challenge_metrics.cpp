// Challenge status series: made per label set, replaced when a label
// changes, removed with the Challenge or its owner.
#include "controller/challenge_metrics.hpp"

#include <algorithm>

namespace certmill::controller {

namespace {

constexpr std::size_t kMaxReasonBytes = 256;

// The length of the UTF-8 sequence `lead` starts; 0 for a byte that cannot
// start one (Go reads such a byte as U+FFFD, three bytes long).
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    return 2;
  if (lead >= 0xE0 && lead <= 0xEF)
    return 3;
  if (lead >= 0xF0 && lead <= 0xF4)
    return 4;
  return 0;
}

// Whether `sequence` (as long as its lead byte says) is one UTF-8 character
// as Go decodes it: no overlong form, surrogate or code point past U+10FFFF.
bool well_formed(std::string_view sequence) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(sequence[i]); };
  for (std::size_t i = 1; i < sequence.size(); ++i) {
    if ((byte(i) & 0xC0) != 0x80)
      return false;
  }
  if (sequence.size() < 3)
    return true;
  switch (byte(0)) {
    case 0xE0:
      return byte(1) >= 0xA0;
    case 0xED:
      return byte(1) <= 0x9F;
    case 0xF0:
      return byte(1) >= 0x90;
    case 0xF4:
      return byte(1) <= 0x8F;
    default:
      return true;
  }
}

// Whether the code point `sequence` encodes is a control character as Go's
// unicode.IsControl says: C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F).
bool is_control(std::string_view sequence) {
  const auto lead = static_cast<unsigned char>(sequence[0]);
  if (sequence.size() == 1)
    return lead < 0x20 || lead == 0x7F;
  return sequence.size() == 2 && lead == 0xC2 && static_cast<unsigned char>(sequence[1]) <= 0x9F;
}

}  // namespace

std::string_view challenge_status_label(const std::optional<api::AcmeState>& state) {
  return state ? api::acme_state_name(*state) : std::string_view();
}

std::string challenge_reason_label(std::string_view reason) {
  std::string out;
  out.reserve(std::min(reason.size(), kMaxReasonBytes));
  for (std::size_t at = 0; at < reason.size();) {
    const std::size_t length = sequence_length(static_cast<unsigned char>(reason[at]));
    const bool valid =
        length != 0 && at + length <= reason.size() && well_formed(reason.substr(at, length));
    // An invalid byte is ranged over as U+FFFD, which WriteRune writes.
    const std::string_view rune = valid ? reason.substr(at, length) : "\xEF\xBF\xBD";
    const std::string_view written = valid && is_control(rune) ? " " : rune;
    if (out.size() + written.size() > kMaxReasonBytes)
      break;
    out += written;
    at += valid ? length : 1;
  }
  return out;
}

void ChallengeMetrics::observe(const api::Challenge& challenge, const std::string& owner,
                               const std::string& order) {
  Owner& entry = owners_[owner];
  if (entry.order != order) {
    for (auto& [key, series] : entry.challenges)
      remove(series);
    entry.challenges.clear();
    entry.order = order;
  }
  std::map<std::string, std::string> labels = {
      {"domain", challenge.spec.dns_name},
      {"name", challenge.metadata.name},
      {"namespace", challenge.metadata.namespace_},
      {"processing", challenge.status.processing ? "true" : "false"},
      {"reason", challenge_reason_label(challenge.status.reason)},
      {"type", std::string(api::challenge_type_name(challenge.spec.type))},
  };
  Series& series = entry.challenges[challenge.metadata.namespace_ + "/" + challenge.metadata.name];
  if (series.gauges[0] == nullptr || series.labels != labels) {
    remove(series);
    for (std::size_t i = 0; i < kChallengeStatuses.size(); ++i) {
      prometheus::Labels with_status = labels;
      with_status.emplace("status", std::string(kChallengeStatuses[i]));
      series.gauges[i] = &family_.Add(with_status);
    }
    series.labels = std::move(labels);
  }
  const std::string_view status = challenge_status_label(challenge.status.state);
  for (std::size_t i = 0; i < kChallengeStatuses.size(); ++i)
    series.gauges[i]->Set(kChallengeStatuses[i] == status ? 1 : 0);
}

void ChallengeMetrics::forget(const std::string& owner, const std::string& ns,
                              const std::string& name) {
  const auto entry = owners_.find(owner);
  if (entry == owners_.end())
    return;
  const auto it = entry->second.challenges.find(ns + "/" + name);
  if (it == entry->second.challenges.end())
    return;
  remove(it->second);
  entry->second.challenges.erase(it);
  if (entry->second.challenges.empty())
    owners_.erase(entry);
}

void ChallengeMetrics::forget_owner(const std::string& owner) {
  const auto entry = owners_.find(owner);
  if (entry == owners_.end())
    return;
  for (auto& [key, series] : entry->second.challenges)
    remove(series);
  owners_.erase(entry);
}

std::size_t ChallengeMetrics::size() const {
  std::size_t n = 0;
  for (const auto& [owner, entry] : owners_)
    n += entry.challenges.size();
  return n;
}

void ChallengeMetrics::remove(Series& series) {
  for (prometheus::Gauge*& gauge : series.gauges) {
    if (gauge != nullptr)
      family_.Remove(gauge);
    gauge = nullptr;
  }
}

}  // namespace certmill::controller
