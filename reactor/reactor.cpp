// Shards, their threads, and the two-phase graceful shutdown.
#include "reactor/reactor.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>

#include "core/log.hpp"
#include "reactor/log_sink.hpp"

namespace certmill::reactor {
namespace {

thread_local Shard* t_current = nullptr;

// One shard's part of shutdown; runs on that shard.
asio::awaitable<ShutdownReport> drain(Shard& shard, Clock& clock, TimePoint grace_end,
                                      TimePoint force_end) {
  using namespace asio::experimental::awaitable_operators;
  TaskGroup& tasks = shard.tasks();
  TaskGroup& services = shard.services();
  auto all_done = [&]() -> asio::awaitable<void> {
    co_await tasks.wait_empty();
    co_await services.wait_empty();
  };
  ShutdownReport report;
  report.in_flight = tasks.size();
  tasks.close();
  services.close();
  shard.final_services().close();
  services.cancel();
  if (tasks.size() + services.size() > 0)
    co_await (all_done() || clock.sleep_until(grace_end));
  if (tasks.size() > 0) {
    report.cancelled = tasks.size();
    tasks.cancel();
  }
  if (tasks.size() + services.size() > 0)
    co_await (all_done() || clock.sleep_until(force_end));
  report.abandoned = tasks.size() + services.size();
  co_return report;
}

// The last part, once every shard has drained: its final services; how many
// were abandoned.
asio::awaitable<std::size_t> end_final_services(Shard& shard, Clock& clock, TimePoint force_end) {
  using namespace asio::experimental::awaitable_operators;
  TaskGroup& finals = shard.final_services();
  finals.cancel();
  if (finals.size() > 0)
    co_await (finals.wait_empty() || clock.sleep_until(force_end));
  co_return finals.size();
}

}  // namespace

Shard::Shard(unsigned id)
    : id_(id),
      work_(asio::make_work_guard(context_)),
      tasks_(context_.get_executor()),
      services_(context_.get_executor()),
      final_services_(context_.get_executor()) {}

Shard* Shard::current() {
  return t_current;
}

void Shard::assert_owned([[maybe_unused]] const char* what) const {
#ifdef CERTMILL_SHARD_CHECKS
  const Shard* running = t_current;
  if (running != nullptr && running != this) {
    std::fprintf(stderr, "certmill: %s of shard %u touched from shard %u\n", what, id_,
                 running->id());
    std::abort();
  }
#endif
}

void Shard::run() {
  t_current = this;
  try {
    context_.run();
  } catch (const std::exception& e) {
    // Handlers report failures as values; an exception here is a bug.
    log::error("shard stopped by an exception", {{"shard", id_}, {"what", e.what()}});
    std::abort();
  }
  t_current = nullptr;
}

Reactor::Reactor(unsigned shards, Clock& clock) : clock_(clock) {
  // A program that runs certmill's shards logs to stderr unless it chose
  // otherwise first.
  if (!log::sink())
    log_to_stderr();
  if (shards == 0)
    shards = std::max(1u, std::thread::hardware_concurrency());
  shards_.reserve(shards);
  for (unsigned i = 0; i < shards; ++i)
    shards_.push_back(std::make_unique<Shard>(i));
}

Reactor::~Reactor() {
  stop_now();
}

void Reactor::stop_now() {
  for (auto& shard : shards_) {
    shard->work_.reset();
    shard->context_.stop();
  }
  join();
}

unsigned Reactor::shard_index(std::string_view key, unsigned shard_count) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  // FNV's low bits are a parity of the input's low bits; mix before the modulo
  // so that a power-of-two shard count still splits keys evenly.
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdull;
  hash ^= hash >> 33;
  return static_cast<unsigned>(hash % shard_count);
}

void Reactor::start() {
  if (started_)
    return;
  started_ = true;
  for (auto& shard : shards_) {
    shard->thread_ = std::thread([s = shard.get()] { s->run(); });
  }
}

void Reactor::dropped(Shard& shard) {
  log::debug("task dropped: shutdown has begun", {{"shard", shard.id()}});
}

std::future<ShutdownReport> Reactor::shutdown(Duration grace, Duration force) {
  struct Gather {
    std::mutex mutex;
    ShutdownReport total;
    std::size_t remaining;
    std::promise<ShutdownReport> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->remaining = shards_.size();
  auto future = gather->done.get_future();
  const auto force_for = std::chrono::duration_cast<TimePoint::duration>(force);
  const TimePoint grace_end = clock_.now() + std::chrono::duration_cast<TimePoint::duration>(grace);
  const TimePoint force_end = grace_end + force_for;
  // Every shard stops only once all are through: a task still running on
  // one may be waiting on another (the write limiter lives on shard 0), which
  // must go on answering. Stopping a context abandons what is left; join()
  // frees those frames.
  auto finals_ended = [this, gather](std::exception_ptr, std::size_t abandoned) {
    std::lock_guard lock(gather->mutex);
    gather->total.abandoned += abandoned;
    if (--gather->remaining > 0)
      return;
    for (auto& each : shards_) {
      each->work_.reset();
      each->context_.stop();
    }
    gather->done.set_value(gather->total);
  };
  auto drained = [this, gather, force_for, finals_ended](std::exception_ptr,
                                                         ShutdownReport report) {
    {
      std::lock_guard lock(gather->mutex);
      gather->total.in_flight += report.in_flight;
      gather->total.cancelled += report.cancelled;
      gather->total.abandoned += report.abandoned;
      if (--gather->remaining > 0)
        return;
      gather->remaining = shards_.size();
    }
    const TimePoint finals_end = clock_.now() + force_for;
    for (auto& each : shards_)
      asio::co_spawn(each->executor(), end_final_services(*each, clock_, finals_end), finals_ended);
  };
  for (auto& owned : shards_)
    asio::co_spawn(owned->executor(), drain(*owned, clock_, grace_end, force_end), drained);
  return future;
}

void Reactor::join() {
  for (auto& shard : shards_) {
    if (shard->thread_.joinable())
      shard->thread_.join();
  }
  // Destroying a frame that awaited another shard hands that shard's frame
  // to it to destroy in turn: one hop per pass, and a chain of cross-shard
  // calls is never longer than the shards.
  for (std::size_t pass = 0; pass <= shards_.size(); ++pass) {
    for (auto& shard : shards_)
      shard->context_.shutdown();
  }
}

}  // namespace certmill::reactor
