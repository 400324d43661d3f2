// Runs a job that returns a Result on the worker pool. WorkerPool::run needs a
// default-constructible result (Asio's co_spawn builds one for the error path)
// and Result has no empty state, so the job's value travels in an optional.
#pragma once

#include <optional>
#include <type_traits>

#include <boost/asio/awaitable.hpp>

#include "reactor/worker_pool.hpp"

namespace certmill::issuers {

template <class F, class R = std::invoke_result_t<F&>>
boost::asio::awaitable<R> offload(reactor::WorkerPool& pool, F job) {
  std::optional<R> out =
      co_await pool.run([job = std::move(job)]() mutable { return std::optional<R>(job()); });
  co_return std::move(*out);
}

}  // namespace certmill::issuers
