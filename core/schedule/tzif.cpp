// RFC 8536 decoding with a bounds-checked reader, and offset lookups in the
// transition table, then in the footer's rule.
#include "core/schedule/tzif.hpp"

#include <algorithm>
#include <string>

namespace certmill::schedule {

namespace {

Error invalid(const std::string& why) {
  return Error(Errc::invalid_value, "TZif data: " + why);
}

// RFC 8536 section 3.2: offsets stay within -25 and +26 hours.
constexpr int32_t kLeastOffset = -89999;
constexpr int32_t kMostOffset = 93599;

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool has(uint64_t n) const { return n <= bytes_.size() - at_; }
  std::size_t left() const { return bytes_.size() - at_; }
  // Callers check has() first.
  uint64_t big_endian(int width) {
    uint64_t v = 0;
    for (int i = 0; i < width; ++i)
      v = v << 8 | static_cast<uint8_t>(bytes_[at_++]);
    return v;
  }
  std::string_view take(std::size_t n) {
    const std::string_view out = bytes_.substr(at_, n);
    at_ += n;
    return out;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

struct Header {
  char version;
  uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;

  // The data block's size, for times of `width` bytes.
  uint64_t data_size(int width) const {
    return uint64_t{timecnt} * width + timecnt + uint64_t{typecnt} * 6 + charcnt +
           uint64_t{leapcnt} * (width + 4) + isstdcnt + isutcnt;
  }
};

Result<Header> read_header(Reader& r) {
  if (!r.has(44))
    return invalid("shorter than its 44-byte header");
  if (r.take(4) != "TZif")
    return invalid("no TZif magic");
  Header h{};
  h.version = r.take(1)[0];
  if (h.version != '\0' && (h.version < '2' || h.version > '4'))
    return invalid("unknown version byte " + std::to_string(static_cast<uint8_t>(h.version)));
  r.take(15);
  for (uint32_t* count : {&h.isutcnt, &h.isstdcnt, &h.leapcnt, &h.timecnt, &h.typecnt, &h.charcnt})
    *count = static_cast<uint32_t>(r.big_endian(4));
  if (h.typecnt == 0 || h.typecnt > 256)
    return invalid("typecnt must be 1 to 256, not " + std::to_string(h.typecnt));
  if (h.charcnt == 0)
    return invalid("charcnt must not be zero");
  if (h.isutcnt != 0 && h.isutcnt != h.typecnt)
    return invalid("isutcnt must be zero or typecnt");
  if (h.isstdcnt != 0 && h.isstdcnt != h.typecnt)
    return invalid("isstdcnt must be zero or typecnt");
  return h;
}

int64_t sign_extend(uint64_t v, int width) {
  if (width == 4)
    return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

}  // namespace

Result<Zone> Zone::parse_tzif(std::string_view bytes) {
  Reader r(bytes);
  auto h = read_header(r);
  if (!h)
    return h.error();
  int width = 4;
  if (h->version != '\0') {
    // The version 1 block only serves old readers: skip it for the 64-bit one.
    if (!r.has(h->data_size(4)))
      return invalid("truncated version 1 data block");
    r.take(h->data_size(4));
    h = read_header(r);
    if (!h)
      return h.error();
    width = 8;
  }
  if (!r.has(h->data_size(width)))
    return invalid("truncated data block (" + std::to_string(h->data_size(width)) +
                   " bytes announced, " + std::to_string(r.left()) + " present)");
  Zone z;
  z.transitions_.reserve(h->timecnt);
  for (uint32_t i = 0; i < h->timecnt; ++i) {
    const int64_t t = sign_extend(r.big_endian(width), width);
    if (!z.transitions_.empty() && t <= z.transitions_.back())
      return invalid("transition times are not ascending");
    z.transitions_.push_back(t);
  }
  z.types_.reserve(h->timecnt);
  for (uint32_t i = 0; i < h->timecnt; ++i) {
    const auto type = static_cast<uint8_t>(r.big_endian(1));
    if (type >= h->typecnt)
      return invalid("transition type index " + std::to_string(type) + " beyond typecnt");
    z.types_.push_back(type);
  }
  for (uint32_t i = 0; i < h->typecnt; ++i) {
    const auto offset = static_cast<int32_t>(static_cast<uint32_t>(r.big_endian(4)));
    const uint64_t is_dst = r.big_endian(1);
    const uint64_t designation = r.big_endian(1);
    if (offset < kLeastOffset || offset > kMostOffset)
      return invalid("UT offset " + std::to_string(offset) + " is beyond -25h..+26h");
    if (is_dst > 1 || designation >= h->charcnt)
      return invalid("malformed local time type record");
    z.offsets_.push_back(offset);
  }
  // Designations, leap seconds and the std/wall and UT/local indicators do
  // not change an offset.
  r.take(h->charcnt + uint64_t{h->leapcnt} * (width + 4) + h->isstdcnt + h->isutcnt);
  if (width == 8) {
    if (r.left() < 2 || r.take(1) != "\n")
      return invalid("the footer's TZ string is missing");
    const std::string_view rest = r.take(r.left());
    const auto end = rest.find('\n');
    if (end == std::string_view::npos)
      return invalid("the footer's TZ string is not terminated by a newline");
    if (end > 0) {
      auto footer = PosixTz::parse(rest.substr(0, end));
      if (!footer)
        return invalid("footer: " + footer.error().message());
      z.footer_ = *footer;
    }
  }
  z.min_offset_ = *std::min_element(z.offsets_.begin(), z.offsets_.end());
  z.max_offset_ = *std::max_element(z.offsets_.begin(), z.offsets_.end());
  if (z.footer_) {
    for (auto offset : {std::optional<int32_t>(z.footer_->std_offset()), z.footer_->dst_offset()}) {
      if (offset) {
        z.min_offset_ = std::min(z.min_offset_, *offset);
        z.max_offset_ = std::max(z.max_offset_, *offset);
      }
    }
  }
  return z;
}

Zone Zone::utc() {
  Zone z;
  z.offsets_.push_back(0);
  return z;
}

int32_t Zone::offset_at(int64_t unix) const {
  const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), unix);
  if (after == transitions_.end() && footer_)
    return footer_->offset_at(unix);
  if (after == transitions_.begin())
    return offsets_[0];
  return offsets_[types_[static_cast<std::size_t>(after - transitions_.begin() - 1)]];
}

std::optional<int64_t> Zone::next_transition(int64_t unix) const {
  const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), unix);
  if (after != transitions_.end())
    return *after;
  if (footer_)
    return footer_->next_transition(unix);
  return std::nullopt;
}

std::chrono::seconds Zone::offset_at(Time t) const {
  return std::chrono::seconds(offset_at(t.time_since_epoch().count()));
}

Time Zone::to_utc(LocalSeconds wall) const {
  const int64_t local = wall.time_since_epoch().count();
  // The instant lies within [local - max, local - min]: walk the stretches of
  // one offset there, earliest first.
  int64_t from = local - max_offset_;
  std::optional<int64_t> skipped;
  while (from <= local - min_offset_) {
    const int32_t offset = offset_at(from);
    const int64_t candidate = local - offset;
    const std::optional<int64_t> until = next_transition(from);
    if (candidate >= from && (!until || candidate < *until))
      return Time(std::chrono::seconds(candidate));
    // Past this stretch's end under its own offset: the wall time falls in
    // the gap after it, and is read with this offset, landing past the gap.
    if (!skipped && until && candidate >= *until)
      skipped = candidate;
    if (!until)
      break;
    from = *until;
  }
  return Time(std::chrono::seconds(skipped.value_or(local - offset_at(local - max_offset_))));
}

}  // namespace certmill::schedule
