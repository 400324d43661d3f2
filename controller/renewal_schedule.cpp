// The intern table: keyed by the windows' text, holding weak pointers, so a
// set of windows lives as long as a cached Certificate uses it.
#include "controller/renewal_schedule.hpp"

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/schedule/zones.hpp"

namespace certmill::controller {

namespace {

class InternTable {
 public:
  std::shared_ptr<const RenewalWindows> find_or_add(
      const std::string& key, const std::shared_ptr<const RenewalWindows>& made) {
    std::lock_guard lock(mutex_);
    if (auto found = table_.find(key); found != table_.end()) {
      if (auto live = found->second.lock())
        return live;
    }
    table_[key] = made;
    // Forget sets no Certificate uses any more, once the table has doubled.
    if (table_.size() > 2 * swept_size_) {
      std::erase_if(table_, [](const auto& entry) { return entry.second.expired(); });
      swept_size_ = std::max<std::size_t>(table_.size(), 16);
    }
    return made;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<const RenewalWindows>> table_;
  std::size_t swept_size_ = 16;
};

InternTable& intern_table() {
  static InternTable table;  // shared by the shards' threads
  return table;
}

}  // namespace

std::string_view window_zone(const api::RenewalWindowSpec& window) {
  return window.timezone.empty() ? std::string_view("UTC") : std::string_view(window.timezone);
}

bool renewal_disabled(const api::CertificateSpec& spec) {
  return spec.renewal && spec.renewal->policy == "Disabled";
}

std::shared_ptr<const RenewalWindows> renewal_windows(const api::CertificateSpec& spec) {
  if (!spec.renewal || spec.renewal->windows.empty() || renewal_disabled(spec))
    return nullptr;
  auto made = std::make_shared<RenewalWindows>();
  std::string key;
  for (const api::RenewalWindowSpec& window : spec.renewal->windows) {
    auto cron = schedule::Cron::parse(window.cron);
    auto zone = schedule::system_zones().load(window_zone(window));
    if (!cron || !zone || !window.window_duration || *window.window_duration <= Duration::zero())
      return nullptr;
    made->push_back({*cron, *zone, *window.window_duration});
    key += window.cron + '\n' + std::string(window_zone(window)) + '\n' +
           std::to_string(window.window_duration->count()) + '\n';
  }
  return intern_table().find_or_add(key, made);
}

}  // namespace certmill::controller
