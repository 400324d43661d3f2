// Zones and TXT records kept in memory for the emulated API.
#include "tools/dns-api-sim/zones.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace certmill::dnssim {

std::string normal_name(std::string name) {
  while (!name.empty() && name.back() == '.')
    name.pop_back();
  for (char& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

ZoneStore::ZoneStore(const std::vector<std::string>& zones) {
  for (const std::string& name : zones)
    zones_.push_back({next_id(), normal_name(name)});
}

// 32 hex digits, the shape of Cloudflare's ids; the other fronts reshape it.
std::string ZoneStore::next_id() {
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx", 0x5eedc0de00000000ull,
                static_cast<unsigned long long>(++counter_));
  return id;
}

const Zone* ZoneStore::zone_by_name(const std::string& name) const {
  const std::string wanted = normal_name(name);
  const auto it = std::ranges::find(zones_, wanted, &Zone::name);
  return it == zones_.end() ? nullptr : &*it;
}

const Zone* ZoneStore::zone_by_id(const std::string& id) const {
  const auto it = std::ranges::find(zones_, id, &Zone::id);
  return it == zones_.end() ? nullptr : &*it;
}

std::vector<TxtEntry> ZoneStore::txt(const std::string& zone_id, const std::string& name) const {
  const std::string wanted = normal_name(name);
  std::vector<TxtEntry> out;
  for (const auto& [id, entry] : entries_) {
    if (entry.zone_id == zone_id && (wanted.empty() || entry.name == wanted))
      out.push_back(entry);
  }
  return out;
}

std::vector<TxtEntry> ZoneStore::all() const {
  std::vector<TxtEntry> out;
  for (const auto& [id, entry] : entries_)
    out.push_back(entry);
  return out;
}

const TxtEntry* ZoneStore::entry(const std::string& id) const {
  const auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

std::pair<TxtEntry, Change> ZoneStore::add(const std::string& zone_id, const std::string& name,
                                           const std::string& value, int ttl) {
  TxtEntry entry{next_id(), zone_id, normal_name(name), value, ttl};
  entries_[entry.id] = entry;
  const Zone* zone = zone_by_id(zone_id);
  return {entry, Change{zone ? zone->name : std::string(), entry.name, {value}, {}}};
}

std::optional<Change> ZoneStore::remove(const std::string& id) {
  const auto it = entries_.find(id);
  if (it == entries_.end())
    return std::nullopt;
  const TxtEntry entry = it->second;
  entries_.erase(it);
  // BIND holds a value once: it goes only when no other record has it.
  for (const auto& [other_id, other] : entries_) {
    if (other.zone_id == entry.zone_id && other.name == entry.name && other.value == entry.value)
      return Change{zone_by_id(entry.zone_id)->name, entry.name, {}, {}};
  }
  return Change{zone_by_id(entry.zone_id)->name, entry.name, {}, {entry.value}};
}

Change ZoneStore::replace(const std::string& zone_id, const std::string& name,
                          const std::vector<std::string>& values, int ttl) {
  const std::string normal = normal_name(name);
  Change change{zone_by_id(zone_id) ? zone_by_id(zone_id)->name : std::string(), normal, {}, {}};
  for (auto it = entries_.begin(); it != entries_.end();) {
    const bool kept = std::ranges::find(values, it->second.value) != values.end();
    if (it->second.zone_id == zone_id && it->second.name == normal && !kept) {
      change.removed.push_back(it->second.value);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  for (const std::string& value : values) {
    const auto present = std::ranges::find_if(entries_, [&](const auto& item) {
      return item.second.zone_id == zone_id && item.second.name == normal &&
             item.second.value == value;
    });
    if (present != entries_.end()) {
      present->second.ttl = ttl;
      continue;
    }
    TxtEntry entry{next_id(), zone_id, normal, value, ttl};
    entries_[entry.id] = entry;
    change.added.push_back(value);
  }
  return change;
}

}  // namespace certmill::dnssim
