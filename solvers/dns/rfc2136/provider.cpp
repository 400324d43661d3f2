// Adding and removing a TXT value by UPDATE.
#include "solvers/dns/rfc2136/provider.hpp"

#include "solvers/dns/rfc2136/update.hpp"

namespace certmill::solvers::rfc2136 {

boost::asio::awaitable<Status> Rfc2136Provider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await rfc2136_update(executor_, settings_, record.zone, record.fqdn, record.value,
                                    Change::add, deadline);
}

boost::asio::awaitable<Status> Rfc2136Provider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await rfc2136_update(executor_, settings_, record.zone, record.fqdn, record.value,
                                    Change::remove, deadline);
}

}  // namespace certmill::solvers::rfc2136
