// Running a function on another executor (a shard, the worker pool) and
// getting its result back: awaited from a coroutine, or waited for from a
// plain thread. The function may return a value or an awaitable.
//
// co_spawn's completion needs a default-constructible result, which
// Result<T> is not, so results travel inside std::optional.
#pragma once

#include <optional>
#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

namespace certmill::reactor {

namespace asio = boost::asio;

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

template <class F>
using result_of = typename awaited<std::invoke_result_t<F&>>::type;

// The function as a coroutine returning its result in an optional.
template <class F>
auto as_optional_coroutine(F f) {
  using R = std::invoke_result_t<F&>;
  using T = result_of<F>;
  return [f = std::move(f)]() mutable -> asio::awaitable<std::optional<T>> {
    if constexpr (awaited<R>::is_awaitable) {
      co_return co_await f();
    } else {
      co_return f();
    }
  };
}

template <class F>
auto as_void_coroutine(F f) {
  using R = std::invoke_result_t<F&>;
  return [f = std::move(f)]() mutable -> asio::awaitable<void> {
    if constexpr (awaited<R>::is_awaitable) {
      co_await f();
    } else {
      f();
    }
  };
}
}  // namespace detail

// Runs `f` on `executor`; the awaiting coroutine resumes on its own executor.
// Both are taken by value: the coroutine starts later, when awaited.
template <class Executor, class F>
asio::awaitable<detail::result_of<F>> run_there(Executor executor, F f) {
  if constexpr (std::is_void_v<detail::result_of<F>>) {
    co_await asio::co_spawn(executor, detail::as_void_coroutine(std::move(f)), asio::use_awaitable);
  } else {
    auto result = co_await asio::co_spawn(executor, detail::as_optional_coroutine(std::move(f)),
                                          asio::use_awaitable);
    co_return std::move(*result);
  }
}

// Runs `f` on `executor` and blocks this (non-reactor) thread until it is done.
template <class Executor, class F>
detail::result_of<F> run_and_wait(const Executor& executor, F f) {
  if constexpr (std::is_void_v<detail::result_of<F>>) {
    asio::co_spawn(executor, detail::as_void_coroutine(std::move(f)), asio::use_future).get();
  } else {
    return std::move(
        *asio::co_spawn(executor, detail::as_optional_coroutine(std::move(f)), asio::use_future)
             .get());
  }
}

}  // namespace certmill::reactor
