// Informer: lists and watches one kind once, and hands each object to the
// shard that owns its key, where a CachePartition keeps it. The driver runs
// WatchState (k8s/watch_state.hpp) on one shard: paged LIST, WATCH from the
// list's version with bookmarks, resume after a dropped or silent stream,
// full relist after 410 Gone, backoff with jitter after errors. An event that
// does not decode ends the stream, and the watch resumes from the last good
// version: the cache is never fed a guess.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/log.hpp"
#include "k8s/cache.hpp"
#include "k8s/client.hpp"
#include "k8s/watch_state.hpp"
#include "reactor/backoff.hpp"
#include "reactor/reactor.hpp"

namespace certmill::k8s {

// Which shard's partition keeps an object.
enum class Routing {
  ByKey,  // by namespace/name
  // A namespace and everything in it live on one shard, so namespace-wide
  // questions (which Certificates claim a Secret, which an Ingress owns) are
  // local lookups; cluster-scoped objects go by name.
  ByNamespace,
  Everywhere,  // every partition holds every object (few, read by all)
};

// The shard that owns `key` ("namespace/name" or "name") under `routing`;
// for Everywhere, the one that acts on it.
inline unsigned shard_for(Routing routing, std::string_view key, unsigned shards) {
  if (routing == Routing::ByNamespace) {
    if (auto slash = key.find('/'); slash != std::string_view::npos)
      key = key.substr(0, slash);
  }
  return reactor::Reactor::shard_index(key, shards);
}

struct InformerOptions {
  std::string namespace_;  // empty: all namespaces
  Routing routing = Routing::ByKey;
  std::string label_selector;
  unsigned page_size = 500;
  std::chrono::seconds watch_timeout{300};
  // A stream with no byte for this long beyond watch_timeout is dead.
  std::chrono::seconds idle_margin{30};
  reactor::BackoffPolicy backoff{std::chrono::milliseconds(200), std::chrono::seconds(30), 2.0,
                                 0.2};
};

struct InformerStats {
  std::atomic<std::uint64_t> lists{0};          // complete lists, the first included
  std::atomic<std::uint64_t> watches{0};        // watch streams opened
  std::atomic<std::uint64_t> events{0};         // ADDED, MODIFIED, DELETED applied
  std::atomic<std::uint64_t> gone{0};           // 410 answers that forced a relist
  std::atomic<std::uint64_t> errors{0};         // failed requests and undecodable events
  std::atomic<std::uint64_t> synced_shards{0};  // partitions that hold a full list
  std::atomic<std::int64_t> cached{0};          // objects in all partitions
  std::atomic<std::uint64_t> invalid{0};        // objects that did not decode
};

template <class T, class Compact = T>
class Informer {
 public:
  using Project = std::function<Compact(T&&)>;

  Informer(reactor::Reactor& reactor, InformerOptions options, Project project)
      : reactor_(reactor), options_(std::move(options)), project_(std::move(project)) {
    for (unsigned i = 0; i < reactor.size(); ++i) {
      partitions_.push_back(std::make_unique<CachePartition<Compact>>());
      partitions_.back()->on_change(
          [this](const std::string&, const Compact* before, const Compact* after) {
            stats_.cached += (after != nullptr) - (before != nullptr);
          });
    }
  }

  static std::string key_of(const T& object) { return object_name_of(object).key(); }
  static std::string key_of(const std::string& ns, const std::string& name) {
    return ObjectName{ns, name}.key();
  }

  // The partition of shard `index`; touch it only on that shard.
  CachePartition<Compact>& partition(unsigned index) { return *partitions_.at(index); }
  const InformerStats& stats() const { return stats_; }
  bool synced() const { return stats_.synced_shards.load() == partitions_.size(); }
  // Called, on the shard the informer runs on, for each listed or watched
  // object that does not decode, so the object itself can be told why; set
  // before run().
  void on_invalid(std::function<void(const api::InvalidObject&)> handler) {
    on_invalid_ = std::move(handler);
  }

  // Runs until the awaiting coroutine is cancelled; `client` belongs to the
  // shard this runs on.
  asio::awaitable<void> run(Client& client) {
    // Cancellation ends the loop between steps rather than as an exception.
    co_await asio::this_coro::throw_if_cancelled(false);
    WatchState state;
    reactor::Backoff backoff(options_.backoff);
    Relist relist(partitions_.size());
    for (;;) {
      const WatchAction action = state.next();
      const bool ok =
          std::holds_alternative<ListRequest>(action)
              ? co_await list_page(client, state, std::get<ListRequest>(action).continue_token,
                                   relist)
              : co_await watch(client, state, std::get<WatchRequest>(action).resource_version);
      if (cancelled(co_await asio::this_coro::cancellation_state))
        co_return;
      if (ok) {
        backoff.reset();
      } else {
        ++stats_.errors;
        // The server's Retry-After, when it gave one, is a floor.
        co_await reactor_.clock().sleep_for(std::max<Duration>(backoff.next(), retry_after_));
      }
      retry_after_ = Duration::zero();
    }
  }

 private:
  // What a list has gathered so far, per shard: the objects, and the keys of
  // listed objects that did not decode (their last good state stays cached).
  struct Relist {
    explicit Relist(std::size_t shards) : objects(shards), keep(shards) {}
    std::vector<typename CachePartition<Compact>::Objects> objects;
    std::vector<std::unordered_set<std::string>> keep;
  };

  static bool cancelled(const asio::cancellation_state& state) {
    return state.cancelled() != asio::cancellation_type::none;
  }

  // The partitions that keep `key`, in order; the last may take the value.
  template <class F>
  void for_each_shard(const std::string& key, F f) const {
    if (options_.routing != Routing::Everywhere) {
      f(shard_for(options_.routing, key, reactor_.size()));
      return;
    }
    for (unsigned i = 0; i < partitions_.size(); ++i)
      f(i);
  }

  // A malformed object is reported, counted and left as it was cached: the
  // fleet goes on, and the error says which object and which field.
  void report_invalid(const api::InvalidObject& invalid) {
    ++stats_.invalid;
    if (on_invalid_)
      on_invalid_(invalid);
    log::error("object does not decode; keeping its last good state",
               {{"resource", Resource<T>::info.plural},
                {"object", key_of(invalid.namespace_, invalid.name)},
                {"error", invalid.error.message()}});
  }

  void failed(const Error& error, const char* what) {
    retry_after_ = error.retry_after().value_or(std::chrono::seconds(0));
    // A request cut short by shutdown is not worth a warning.
    if (error.code() != std::errc::operation_canceled) {
      log::warn(what, {{"resource", Resource<T>::info.plural}, {"error", error.message()}});
    }
  }

  asio::awaitable<bool> list_page(Client& client, WatchState& state,
                                  const std::string& continue_token, Relist& relist) {
    if (continue_token.empty())
      relist = Relist(partitions_.size());
    ListOptions options{options_.label_selector, {}, {}, continue_token, options_.page_size};
    auto page = co_await client.list<T>(options_.namespace_, options);
    if (!page) {
      failed(page.error(), "list failed");
      if (is_gone(page.error()))
        ++stats_.gone;
      state.on_gone();  // a list cannot resume midway: start over
      co_return false;
    }
    for (T& item : page->items) {
      const std::string key = key_of(item);
      Compact value = project_(std::move(item));
      for_each_shard(key, [&](unsigned shard) {
        auto& listed = relist.objects[shard];
        // A list names each object once; should a server repeat one, the last wins.
        if (auto it = listed.find(object_name_of(value)); it != listed.end())
          listed.erase(it);
        listed.insert(value);
      });
    }
    for (const auto& invalid : page->invalid) {
      report_invalid(invalid);
      const std::string key = key_of(invalid.namespace_, invalid.name);
      for_each_shard(key, [&](unsigned shard) { relist.keep[shard].insert(key); });
    }
    state.on_list_page(page->resource_version, page->continue_token);
    if (page->continue_token.empty()) {
      ++stats_.lists;
      for (unsigned i = 0; i < partitions_.size(); ++i) {
        asio::post(reactor_.shard(i).executor(), [this, i, objects = std::move(relist.objects[i]),
                                                  keep = std::move(relist.keep[i])]() mutable {
          const bool first = !partitions_[i]->synced();
          partitions_[i]->replace(std::move(objects), keep);
          if (first)
            ++stats_.synced_shards;
        });
      }
      relist = Relist(partitions_.size());
    }
    co_return true;
  }

  asio::awaitable<bool> watch(Client& client, WatchState& state,
                              const std::string& resource_version) {
    WatchOptions options{
        options_.label_selector, {}, resource_version, options_.watch_timeout, true};
    auto stream = co_await client.watch<T>(options_.namespace_, options);
    if (!stream) {
      if (is_gone(stream.error())) {
        ++stats_.gone;
        state.on_gone();
        co_return true;
      }
      failed(stream.error(), "watch failed");
      co_return false;
    }
    ++stats_.watches;
    const Duration idle = options_.watch_timeout + options_.idle_margin;
    for (;;) {
      auto line = co_await (*stream)->next_line(idle);
      if (!line || !*line) {
        state.on_stream_end();
        co_return line.ok();
      }
      auto event = api::decode_watch_event<T>(**line);
      if (!event) {
        // Not even an event: the stream itself is broken. Resume from the
        // last good version on a new stream.
        log::warn("watch stream sent something that is not an event; resuming",
                  {{"resource", Resource<T>::info.plural}, {"error", event.error().message()}});
        state.on_stream_end();
        co_return false;
      }
      switch (event->type) {
        case api::WatchEventType::Bookmark:
          state.on_event(event->bookmark_resource_version);
          break;
        case api::WatchEventType::Error:
          if (event->error && event->error->code == 410) {
            ++stats_.gone;
            state.on_gone();
            co_return true;
          }
          log::warn("watch ended with an error",
                    {{"resource", Resource<T>::info.plural},
                     {"error", event->error ? event->error->message : std::string()}});
          state.on_stream_end();
          co_return false;
        default:
          dispatch(*event, state);
      }
    }
  }

  void dispatch(api::WatchEvent<T>& event, WatchState& state) {
    const bool deleted = event.type == api::WatchEventType::Deleted;
    if (event.invalid) {
      // A deletion needs only the name; anything else keeps the last good state.
      if (deleted) {
        const std::string key = key_of(event.invalid->namespace_, event.invalid->name);
        for_each_shard(key, [&](unsigned shard) {
          asio::post(reactor_.shard(shard).executor(),
                     [this, key, shard] { partitions_[shard]->erase(key); });
        });
      } else {
        report_invalid(*event.invalid);
      }
      state.on_event(event.invalid->resource_version);
      return;
    }
    T& object = *event.object;
    const std::string version = object.metadata.resource_version;
    const std::string key = key_of(object);
    ++stats_.events;
    std::optional<Compact> value;
    if (!deleted)
      value.emplace(project_(std::move(object)));
    for_each_shard(key, [&](unsigned shard) {
      asio::post(reactor_.shard(shard).executor(), [this, shard, key, value]() mutable {
        if (value) {
          partitions_[shard]->upsert(std::move(*value));
        } else {
          partitions_[shard]->erase(key);
        }
      });
    });
    state.on_event(version);
  }

  reactor::Reactor& reactor_;
  InformerOptions options_;
  Project project_;
  std::vector<std::unique_ptr<CachePartition<Compact>>> partitions_;
  InformerStats stats_;
  Duration retry_after_ = Duration::zero();
  std::function<void(const api::InvalidObject&)> on_invalid_;
};

}  // namespace certmill::k8s
