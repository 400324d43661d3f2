// Running one coroutine per index with a bound on how many are in flight, for
// setting up thousands of objects: a fixed number of workers each takes the
// next index, so no coroutine per object piles up waiting.
#pragma once

#include <functional>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"

namespace certmill::fleet {

namespace asio = boost::asio;

// Runs `one(i)` for every i below `total`, at most `concurrency` at once.
// After the first failure no new index is started; that failure is returned.
// `progress` hears how many have finished so far.
asio::awaitable<Status> for_each_bounded(unsigned total, unsigned concurrency,
                                         std::function<asio::awaitable<Status>(unsigned)> one,
                                         std::function<void(unsigned)> progress = {});

}  // namespace certmill::fleet
