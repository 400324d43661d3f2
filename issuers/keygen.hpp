// Private key generation on the worker pool: RSA takes about 0.2 s per key
// (TOOLCHAIN.md), far too long for a shard thread.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/pki/keys.hpp"
#include "reactor/worker_pool.hpp"

namespace certmill::issuers {

boost::asio::awaitable<Result<pki::PrivateKey>> generate_key(reactor::WorkerPool& pool,
                                                             pki::KeySpec spec);

}  // namespace certmill::issuers
