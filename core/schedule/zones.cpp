// Zone names checked before they touch the file system; files read whole, with
// a size bound (the largest zone is a few kilobytes).
#include "core/schedule/zones.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace certmill::schedule {

namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr off_t kMaxFileSize = 1 << 20;

Error no_zone(std::string_view name, const std::string& why) {
  return Error(Errc::invalid_value, "unknown time zone \"" + std::string(name) + "\": " + why);
}

Result<std::string> read_small_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
    return Error(Errc::invalid_value, "no such zone file");
  if (info.st_size > kMaxFileSize)
    return Error(Errc::invalid_value, "the zone file is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return Error(Errc::invalid_value, "the zone file could not be read");
  return bytes;
}

}  // namespace

std::string zone_name_problem(std::string_view name) {
  if (name.empty())
    return "the name is empty";
  if (name.size() > kMaxNameLength)
    return "the name is longer than 255 characters";
  for (char c : name) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '/';
    if (!allowed)
      return "only letters, digits and _+-/ may appear in a zone name";
  }
  if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos)
    return "a zone name is relative, with no empty component";
  return {};
}

ZoneLoader::ZoneLoader(std::string root) : root_(std::move(root)) {}

Result<std::shared_ptr<const Zone>> ZoneLoader::load(std::string_view name) {
  if (std::string problem = zone_name_problem(name); !problem.empty())
    return no_zone(name, problem);
  std::lock_guard lock(mutex_);
  if (auto found = zones_.find(name); found != zones_.end())
    return found->second;
  std::shared_ptr<const Zone> zone;
  auto bytes = read_small_file(root_ + "/" + std::string(name));
  if (bytes) {
    auto parsed = Zone::parse_tzif(*bytes);
    if (!parsed)
      return no_zone(name, parsed.error().message());
    zone = std::make_shared<const Zone>(std::move(*parsed));
  } else if (name == "UTC") {
    zone = std::make_shared<const Zone>(Zone::utc());
  } else {
    return no_zone(name, bytes.error().message() + " in " + root_);
  }
  zones_.emplace(std::string(name), zone);
  return zone;
}

ZoneLoader& system_zones() {
  static ZoneLoader zones([] {
    const char* dir = std::getenv("TZDIR");
    return std::string(dir && *dir ? dir : "/usr/share/zoneinfo");
  }());
  return zones;
}

}  // namespace certmill::schedule
