// for_each_bounded: workers on the caller's executor, joined by a TaskGroup.
#include "tools/fleet/bounded.hpp"

#include <algorithm>

#include <boost/asio/this_coro.hpp>

#include "reactor/task_group.hpp"

namespace certmill::fleet {

asio::awaitable<Status> for_each_bounded(unsigned total, unsigned concurrency,
                                         std::function<asio::awaitable<Status>(unsigned)> one,
                                         std::function<void(unsigned)> progress) {
  unsigned next = 0, done = 0;
  Status failure;
  auto worker = [&]() -> asio::awaitable<void> {
    while (failure && next < total) {
      Status s = co_await one(next++);
      if (!s)
        failure = s;
      ++done;
      if (progress)
        progress(done);
    }
  };
  reactor::TaskGroup workers(co_await asio::this_coro::executor);
  for (unsigned w = 0; w < std::max(1u, concurrency); ++w)
    workers.spawn(worker);
  co_await workers.wait_empty();
  co_return failure;
}

}  // namespace certmill::fleet
