// Reactor: N shards, each a thread running its own io_context. A key (a
// Certificate's namespace/name) belongs to one shard for its whole life, and
// shards share nothing mutable: they talk by posting work to each other.
#pragma once

#include <future>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "reactor/clock.hpp"
#include "reactor/task_group.hpp"

namespace certmill::reactor {

class Shard {
 public:
  Shard(unsigned id);
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  unsigned id() const { return id_; }
  asio::io_context& context() { return context_; }
  asio::any_io_executor executor() { return context_.get_executor(); }
  // The shard's running coroutines; touch only from this shard's thread.
  // Tasks are work in flight (a reconcile, a write): shutdown lets them
  // finish within its grace period. Services are loops that never finish on
  // their own (a watch, an ACME order the next process continues): shutdown
  // cancels them at once. Final services (leader election) must outlast
  // every write: shutdown cancels them once every shard's tasks and
  // services have ended.
  TaskGroup& tasks() { return tasks_; }
  TaskGroup& services() { return services_; }
  TaskGroup& final_services() { return final_services_; }
  // The shard whose thread is running the caller, or nullptr off-shard.
  static Shard* current();
  // State owned by this shard is about to be touched: built with
  // CERTMILL_SHARD_CHECKS (the sanitizer build), aborts with `what` when the
  // caller runs on another shard's thread. Off every shard (a test driving a
  // handler directly, start-up) is allowed: only another shard would race.
  void assert_owned(const char* what) const;

 private:
  friend class Reactor;
  void run();

  // An io_context whose shutdown (destroying every handler and coroutine
  // frame it holds) can be asked for before it is destroyed.
  struct Context : asio::io_context {
    using io_context::io_context;
    using io_context::shutdown;
  };

  unsigned id_;
  Context context_{1};  // one thread per context: no locking inside
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  TaskGroup tasks_;
  TaskGroup services_;
  TaskGroup final_services_;
  std::thread thread_;
};

struct ShutdownReport {
  std::size_t in_flight = 0;  // tasks running when shutdown began
  std::size_t cancelled = 0;  // tasks still running after the grace period, then cancelled
  std::size_t abandoned = 0;  // tasks and services still running after their force bound
};

class Reactor {
 public:
  // `shards` 0 means one per core.
  explicit Reactor(unsigned shards = 0, Clock& clock = system_clock());
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  unsigned size() const { return static_cast<unsigned>(shards_.size()); }
  Shard& shard(unsigned index) { return *shards_.at(index); }
  // The shard that owns `key`, stable across restarts (FNV-1a, not std::hash).
  Shard& owner_of(std::string_view key) { return *shards_[shard_index(key, size())]; }
  static unsigned shard_index(std::string_view key, unsigned shard_count);
  Clock& clock() { return clock_; }

  void start();
  // Runs the coroutine `make_task()` returns in the shard's TaskGroup, on
  // that shard; dropped if shutdown has begun there.
  template <class F>
  void spawn(Shard& shard, F make_task) {
    asio::post(shard.executor(), [&shard, make_task = std::move(make_task)]() mutable {
      if (!shard.tasks().spawn(std::move(make_task)))
        dropped(shard);
    });
  }
  // The same for a service: cancelled as soon as shutdown begins.
  template <class F>
  void spawn_service(Shard& shard, F make_service) {
    asio::post(shard.executor(), [&shard, make_service = std::move(make_service)]() mutable {
      if (!shard.services().spawn(std::move(make_service)))
        dropped(shard);
    });
  }

  // The same for a final service: cancelled only once every shard's tasks
  // and services have ended, so that nothing writes after it is gone (a
  // leader's Lease, released when its election is cancelled).
  template <class F>
  void spawn_final_service(Shard& shard, F make_service) {
    asio::post(shard.executor(), [&shard, make_service = std::move(make_service)]() mutable {
      if (!shard.final_services().spawn(std::move(make_service)))
        dropped(shard);
    });
  }

  // Graceful shutdown: every shard stops taking tasks, cancels its services,
  // waits up to `grace` for the tasks in flight, cancels the rest and waits up
  // to `force` more. Once every shard is through, each cancels its final
  // services and waits up to `force` for them; then the threads end. The
  // future is ready when all shards have stopped.
  std::future<ShutdownReport> shutdown(Duration grace, Duration force);
  // Waits for the shard threads to end, then destroys the coroutine frames
  // the stopped shards left (tasks a shutdown abandoned, or stop_now
  // stopped): their destructors may use the objects the tasks worked on,
  // which the owner destroys next, while the io_contexts go last.
  void join();
  // Stops every shard now, abandoning whatever runs, and joins the threads:
  // what a crash or SIGKILL would do, for tests and last-resort exits.
  void stop_now();

 private:
  static void dropped(Shard& shard);

  Clock& clock_;
  std::vector<std::unique_ptr<Shard>> shards_;
  bool started_ = false;
};

}  // namespace certmill::reactor
