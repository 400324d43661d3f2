// invoke_on: run a function on another shard and await its result here.
//
//   auto n = co_await invoke_on(reactor.owner_of(key), [&] { return cache.size(); });
//
// The function runs on the target shard's thread; the caller resumes on its
// own executor. The result is moved across, so it must not share mutable
// state with the target shard. A function returning an awaitable is awaited
// on the target shard.
#pragma once

#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "reactor/reactor.hpp"

namespace certmill::reactor {

namespace detail {
template <class T>
struct awaited {
  using type = T;
  static constexpr bool is_awaitable = false;
};
template <class T>
struct awaited<asio::awaitable<T>> {
  using type = T;
  static constexpr bool is_awaitable = true;
};
}  // namespace detail

template <class F, class R = std::invoke_result_t<F&>>
asio::awaitable<typename detail::awaited<R>::type> invoke_on(Shard& target, F f) {
  using T = typename detail::awaited<R>::type;
  if constexpr (detail::awaited<R>::is_awaitable) {
    co_return co_await asio::co_spawn(target.executor(), std::move(f), asio::use_awaitable);
  } else {
    co_return co_await asio::co_spawn(
        target.executor(), [f = std::move(f)]() mutable -> asio::awaitable<T> { co_return f(); },
        asio::use_awaitable);
  }
}

}  // namespace certmill::reactor
