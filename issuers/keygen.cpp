// Key generation off the shard.
#include "issuers/keygen.hpp"

namespace certmill::issuers {

boost::asio::awaitable<Result<pki::PrivateKey>> generate_key(reactor::WorkerPool& pool,
                                                             pki::KeySpec spec) {
  co_return co_await pool.run([spec] { return pki::generate_private_key(spec); });
}

}  // namespace certmill::issuers
