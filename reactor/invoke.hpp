// invoke_on: run a function on another shard and await its result here.
//
//   auto n = co_await invoke_on(reactor.owner_of(key), [&] { return cache.size(); });
//
// The function runs on the target shard's thread; the caller resumes on its
// own executor. The result is moved across, so it must not share mutable
// state with the target shard. A function returning an awaitable is awaited
// on the target shard.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"

namespace certmill::reactor {

template <class F>
asio::awaitable<detail::result_of<F>> invoke_on(Shard& target, F f) {
  return run_there(target.executor(), std::move(f));
}

}  // namespace certmill::reactor
