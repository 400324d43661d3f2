// The emulated provider's zones and TXT records: what its API lists, creates
// and deletes, with ids as providers hand them out. Names compare without
// case and without a trailing dot, as DNS does. Pure; the front ends turn it
// into each provider's JSON or XML, and dns_writer puts changes into BIND.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace certmill::dnssim {

struct Zone {
  std::string id;
  std::string name;  // without the trailing dot
};

struct TxtEntry {
  std::string id;
  std::string zone_id;
  std::string name;  // lower case, without the trailing dot
  std::string value;
  int ttl = 60;
};

// What a change did to a name's values, for the DNS server behind the API.
struct Change {
  std::string zone;
  std::string name;
  std::vector<std::string> added;
  std::vector<std::string> removed;
};

// "_ACME-challenge.Example.test." -> "_acme-challenge.example.test"
std::string normal_name(std::string name);

class ZoneStore {
 public:
  explicit ZoneStore(const std::vector<std::string>& zones);

  const Zone* zone_by_name(const std::string& name) const;
  const Zone* zone_by_id(const std::string& id) const;
  const std::vector<Zone>& zones() const { return zones_; }

  // The TXT values of `name` in the zone, in the order they were added.
  std::vector<TxtEntry> txt(const std::string& zone_id, const std::string& name) const;
  std::vector<TxtEntry> all() const;
  const TxtEntry* entry(const std::string& id) const;

  // One value, as a record of its own (Cloudflare, DigitalOcean).
  std::pair<TxtEntry, Change> add(const std::string& zone_id, const std::string& name,
                                  const std::string& value, int ttl);
  std::optional<Change> remove(const std::string& id);
  // The whole set of a name (Route53's UPSERT, Cloud DNS, Azure); an empty
  // set deletes it.
  Change replace(const std::string& zone_id, const std::string& name,
                 const std::vector<std::string>& values, int ttl);

 private:
  std::string next_id();

  std::vector<Zone> zones_;
  std::map<std::string, TxtEntry> entries_;  // by id, ids increase
  std::uint64_t counter_ = 0;
};

}  // namespace certmill::dnssim
