// WorkerPool: a few threads for CPU-heavy jobs (RSA key generation, bulk PEM
// parsing) that would stall a shard. A shard awaits the job as a coroutine
// and resumes on its own thread with the result.
#pragma once

#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "reactor/run_on.hpp"

namespace certmill::reactor {

namespace asio = boost::asio;

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) : pool_(threads == 0 ? 1 : threads) {}
  ~WorkerPool() { stop(); }

  template <class F>
  asio::awaitable<std::invoke_result_t<F&>> run(F job) {
    return run_there(pool_.get_executor(), std::move(job));
  }

  // Finishes the queued jobs, then joins the threads.
  void stop() { pool_.join(); }

 private:
  asio::thread_pool pool_;
};

}  // namespace certmill::reactor
