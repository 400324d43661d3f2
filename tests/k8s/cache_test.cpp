// CachePartition: what handlers see for upserts, deletes and a relist.
#include "k8s/cache.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "core/api/certificate.hpp"
#include "k8s/informer.hpp"

using namespace certmill;
using namespace certmill::k8s;

namespace {
struct Item {
  std::string version;
  bool operator==(const Item&) const = default;
};
struct Recorder {
  std::vector<std::string> seen;
  void attach(CachePartition<Item>& cache) {
    cache.on_change([this](const std::string& key, const Item* before, const Item* after) {
      seen.push_back((before ? before->version : "-") + ">" + (after ? after->version : "-") + " " +
                     key);
    });
  }
};
}  // namespace

TEST_CASE("upserts report adds and real changes only: deletes report the last state") {
  CachePartition<Item> cache;
  Recorder r;
  r.attach(cache);
  cache.upsert("ns/a", {"1"});
  cache.upsert("ns/a", {"1"});  // no change: no report
  cache.upsert("ns/a", {"2"});
  cache.erase("ns/a");
  cache.erase("ns/a");  // already gone
  CHECK(r.seen == std::vector<std::string>{"->1 ns/a", "1>2 ns/a", "2>- ns/a"});
  CHECK(cache.size() == 0);
}

TEST_CASE("a relist deletes what vanished, adds what is new, updates what changed") {
  CachePartition<Item> cache;
  CHECK_FALSE(cache.synced());
  cache.replace({{"ns/keep", {"1"}}, {"ns/change", {"1"}}, {"ns/vanish", {"1"}}});
  CHECK(cache.synced());
  Recorder r;
  r.attach(cache);
  cache.replace({{"ns/keep", {"1"}}, {"ns/change", {"5"}}, {"ns/new", {"6"}}});
  std::sort(r.seen.begin(), r.seen.end());
  CHECK(r.seen == std::vector<std::string>{"->6 ns/new", "1>- ns/vanish", "1>5 ns/change"});
  CHECK(cache.size() == 3);
  REQUIRE(cache.find("ns/change"));
  CHECK(cache.find("ns/change")->version == "5");
  CHECK(cache.find("ns/vanish") == nullptr);
}

TEST_CASE("informer keys are namespace/name, or the name of a cluster-scoped object") {
  api::Certificate cert;
  cert.metadata.namespace_ = "default";
  cert.metadata.name = "web";
  CHECK(Informer<api::Certificate>::key_of(cert) == "default/web");
  api::ClusterIssuer issuer;
  issuer.metadata.name = "letsencrypt";
  CHECK(Informer<api::ClusterIssuer>::key_of(issuer) == "letsencrypt");
}
