// Which Certificate owns which CertificateRequests, by the Certificate's uid
// (ownerReferences name uids): a request's change wakes its Certificate, and
// a Certificate finds its requests, each with one lookup. An owner and what
// it owns share a namespace, so the index holds names, not keys, under the
// 128-bit uid_key the views keep: at 10,000 Certificates two string-keyed
// maps cost about 300 bytes per Certificate, this about 120.
#pragma once

#include <span>
#include <string>
#include <unordered_map>

#include <boost/container/small_vector.hpp>

#include "controller/hashed_key.hpp"

namespace certmill::controller {

class OwnerIndex {
 public:
  void add_certificate(const HashedKey& uid, const std::string& name);
  void drop_certificate(const HashedKey& uid);
  void add_request(const HashedKey& owner_uid, const std::string& name);
  void drop_request(const HashedKey& owner_uid, const std::string& name);

  // The name of the cached Certificate with `uid`, or null.
  const std::string* certificate(const HashedKey& uid) const;
  // The names of the requests that name `uid` as their owner.
  std::span<const std::string> requests(const HashedKey& uid) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string certificate;  // empty while only requests name the uid
    boost::container::small_vector<std::string, 1> requests;
  };
  using Entries = std::unordered_map<HashedKey, Entry, HashedKeyHash>;
  void drop_if_empty(Entries::iterator it);

  Entries entries_;
};

}  // namespace certmill::controller
