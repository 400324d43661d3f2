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
  std::string namespace_;
  std::string name;
  std::string version;
  bool operator==(const Item&) const = default;
};

// An item of namespace "ns".
Item item(std::string name, std::string version) {
  return {"ns", std::move(name), std::move(version)};
}

CachePartition<Item>::Objects items(std::initializer_list<Item> list) {
  return {list};
}
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
  cache.upsert(item("a", "1"));
  cache.upsert(item("a", "1"));  // no change: no report
  cache.upsert(item("a", "2"));
  cache.erase("ns/a");
  cache.erase("ns/a");  // already gone
  CHECK(r.seen == std::vector<std::string>{"->1 ns/a", "1>2 ns/a", "2>- ns/a"});
  CHECK(cache.size() == 0);
}

TEST_CASE("a relist deletes what vanished, adds what is new, updates what changed") {
  CachePartition<Item> cache;
  CHECK_FALSE(cache.synced());
  cache.replace(items({item("keep", "1"), item("change", "1"), item("vanish", "1")}));
  CHECK(cache.synced());
  Recorder r;
  r.attach(cache);
  cache.replace(items({item("keep", "1"), item("change", "5"), item("new", "6")}));
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

TEST_CASE("the cache finds an object by its own namespace and name: no key is stored beside it") {
  CachePartition<Item> cache;
  Recorder r;
  r.attach(cache);
  cache.upsert(item("web", "1"));
  cache.upsert({"other", "web", "2"});
  cache.upsert({"", "web", "3"});  // cluster-scoped: the key is the bare name
  CHECK(cache.size() == 3);
  CHECK(cache.find("ns/web")->version == "1");
  CHECK(cache.find(ObjectName{"other", "web"})->version == "2");
  CHECK(cache.find("web")->version == "3");
  CHECK(cache.find("ns/we") == nullptr);
  CHECK(cache.find("ns/web/x") == nullptr);
  CHECK(cache.key_of(*cache.find("web")) == "web");
  cache.erase("other/web");
  CHECK(r.seen ==
        std::vector<std::string>{"->1 ns/web", "->2 other/web", "->3 web", "2>- other/web"});
}

TEST_CASE("a relist keeps the last good state of a listed object that did not decode") {
  CachePartition<Item> cache;
  cache.replace(items({item("broken", "1"), item("fine", "1")}));
  Recorder r;
  r.attach(cache);
  cache.replace(items({item("fine", "2")}), {"ns/broken"});
  CHECK(r.seen == std::vector<std::string>{"1>2 ns/fine"});
  REQUIRE(cache.find("ns/broken"));
  CHECK(cache.find("ns/broken")->version == "1");
}

TEST_CASE("a key splits at its first slash into namespace and name") {
  CHECK(ObjectName::parse("ns/web") == ObjectName{"ns", "web"});
  CHECK(ObjectName::parse("letsencrypt") == ObjectName{"", "letsencrypt"});
  CHECK(ObjectName::parse("ns/") == ObjectName{"ns", ""});
  CHECK(ObjectName::parse("") == ObjectName{"", ""});
  CHECK(ObjectName{"ns", "web"}.key() == "ns/web");
  CHECK(ObjectName{"", "web"}.key() == "web");
}
