// OwnerIndex's bookkeeping.
#include "controller/owner_index.hpp"

#include <algorithm>

namespace certmill::controller {

void OwnerIndex::drop_if_empty(Entries::iterator it) {
  if (it->second.certificate.empty() && it->second.requests.empty())
    entries_.erase(it);
}

void OwnerIndex::add_certificate(const HashedKey& uid, const std::string& name) {
  entries_[uid].certificate = name;
}

void OwnerIndex::drop_certificate(const HashedKey& uid) {
  auto it = entries_.find(uid);
  if (it == entries_.end())
    return;
  it->second.certificate.clear();
  drop_if_empty(it);
}

void OwnerIndex::add_request(const HashedKey& owner_uid, const std::string& name) {
  auto& requests = entries_[owner_uid].requests;
  if (std::find(requests.begin(), requests.end(), name) == requests.end())
    requests.push_back(name);
}

void OwnerIndex::drop_request(const HashedKey& owner_uid, const std::string& name) {
  auto it = entries_.find(owner_uid);
  if (it == entries_.end())
    return;
  auto& requests = it->second.requests;
  requests.erase(std::remove(requests.begin(), requests.end(), name), requests.end());
  drop_if_empty(it);
}

const std::string* OwnerIndex::certificate(const HashedKey& uid) const {
  auto it = entries_.find(uid);
  return it == entries_.end() || it->second.certificate.empty() ? nullptr : &it->second.certificate;
}

std::span<const std::string> OwnerIndex::requests(const HashedKey& uid) const {
  auto it = entries_.find(uid);
  if (it == entries_.end())
    return {};
  return {it->second.requests.data(), it->second.requests.size()};
}

}  // namespace certmill::controller
