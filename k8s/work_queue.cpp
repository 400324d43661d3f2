// WorkQueue bookkeeping: entries_ holds each known item's state; by_due_ orders
// the queued ones.
#include "k8s/work_queue.hpp"

#include <algorithm>
#include <cmath>

namespace certmill::k8s {

void WorkQueue::enqueue(const WorkItem& stored_key, Entry& entry, TimePoint due) {
  if (entry.queued_at) {
    if (*entry.queued_at <= due)
      return;
    by_due_.erase({*entry.queued_at, entry.order});
  }
  entry.order = arrivals_++;
  entry.queued_at = due;
  by_due_.emplace(DueKey{due, entry.order}, &stored_key);
}

void WorkQueue::add(const WorkItem& item, TimePoint due) {
  auto& [stored_key, entry] = *entries_.try_emplace(item).first;
  due = std::max(due, entry.held_until);
  if (entry.running) {
    entry.rerun_after = entry.rerun_after ? std::min(*entry.rerun_after, due) : due;
    return;
  }
  enqueue(stored_key, entry, due);
}

std::optional<WorkItem> WorkQueue::pop(TimePoint now, Duration* waited) {
  if (by_due_.empty() || by_due_.begin()->first.first > now)
    return std::nullopt;
  if (waited != nullptr)
    *waited = now - by_due_.begin()->first.first;
  const WorkItem& item = *by_due_.begin()->second;
  by_due_.erase(by_due_.begin());
  Entry& entry = entries_.at(item);
  entry.queued_at.reset();
  entry.running = true;
  return item;
}

void WorkQueue::done(const WorkItem& item) {
  auto it = entries_.find(item);
  if (it == entries_.end())
    return;
  Entry& entry = it->second;
  entry.running = false;
  if (entry.failures > 0)
    --failing_;
  entry.failures = 0;
  if (entry.rerun_after) {
    const TimePoint due = *entry.rerun_after;
    entry.rerun_after.reset();
    enqueue(it->first, entry, due);
  }
  drop_if_idle(item);
}

Duration WorkQueue::failed(const WorkItem& item, TimePoint now, double random01,
                           Duration retry_after) {
  auto& [stored_key, entry] = *entries_.try_emplace(item).first;
  entry.running = false;
  const double base = static_cast<double>(backoff_.initial.count()) *
                      std::pow(2.0, static_cast<double>(std::min(entry.failures, 62u)));
  const double capped = std::min(base, static_cast<double>(backoff_.max.count()));
  const double factor = 1.0 - backoff_.jitter + 2.0 * backoff_.jitter * random01;
  const Duration delay =
      std::max(retry_after, Duration(static_cast<Duration::rep>(std::min(
                                capped * factor, static_cast<double>(backoff_.max.count())))));
  if (entry.failures++ == 0)
    ++failing_;
  // A change that arrived while the failing run was in flight must not wait
  // out the backoff: the new state may fix the failure. The server's
  // Retry-After it does wait out.
  TimePoint due = now + std::chrono::duration_cast<TimePoint::duration>(delay);
  if (entry.rerun_after)
    due = std::min(due, *entry.rerun_after);
  if (retry_after > Duration::zero()) {
    entry.held_until = now + std::chrono::duration_cast<TimePoint::duration>(retry_after);
    due = std::max(due, entry.held_until);
  }
  entry.rerun_after.reset();
  enqueue(stored_key, entry, due);
  return delay;
}

void WorkQueue::forget(const WorkItem& item) {
  auto it = entries_.find(item);
  if (it == entries_.end())
    return;
  if (it->second.queued_at)
    by_due_.erase({*it->second.queued_at, it->second.order});
  if (it->second.failures > 0)
    --failing_;
  if (it->second.running) {
    // The running reconcile will call done(); keep the entry until then.
    it->second.queued_at.reset();
    it->second.rerun_after.reset();
    it->second.failures = 0;
    return;
  }
  entries_.erase(it);
}

void WorkQueue::drop_if_idle(const WorkItem& item) {
  auto it = entries_.find(item);
  if (it != entries_.end() && !it->second.running && !it->second.queued_at &&
      it->second.failures == 0) {
    entries_.erase(it);
  }
}

std::optional<WorkQueue::TimePoint> WorkQueue::next_due() const {
  if (by_due_.empty())
    return std::nullopt;
  return by_due_.begin()->first.first;
}

std::size_t WorkQueue::running() const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(),
                                                [](const auto& e) { return e.second.running; }));
}

bool WorkQueue::contains(const WorkItem& item) const {
  auto it = entries_.find(item);
  return it != entries_.end() && (it->second.queued_at || it->second.running);
}

}  // namespace certmill::k8s
