// Time zones by IANA name ("America/Chicago"), read once from a zoneinfo
// directory and shared: the only file access in core/schedule.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/schedule/tzif.hpp"

namespace certmill::schedule {

class ZoneLoader {
 public:
  // `root` holds the TZif files, one per name (Debian's tzdata package
  // installs them in /usr/share/zoneinfo).
  explicit ZoneLoader(std::string root);

  // The zone, read on first use and kept. A name is letters, digits and
  // `_+-/`, with no leading `/` and no empty or `..` component: it cannot
  // leave the root. "UTC" works even without the file. Thread-safe.
  Result<std::shared_ptr<const Zone>> load(std::string_view name);

 private:
  std::string root_;
  std::mutex mutex_;
  // Only zones that loaded: a bad name is looked up again, never remembered.
  std::map<std::string, std::shared_ptr<const Zone>, std::less<>> zones_;
};

// The process's zones: $TZDIR when set (as glibc reads it), else
// /usr/share/zoneinfo.
ZoneLoader& system_zones();

// Why `name` is not a zone name, or empty when it may be one.
std::string zone_name_problem(std::string_view name);

}  // namespace certmill::schedule
