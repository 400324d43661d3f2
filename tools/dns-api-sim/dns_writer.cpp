// One UPDATE per value added or removed.
#include "tools/dns-api-sim/dns_writer.hpp"

#include "solvers/dns/rfc2136/update.hpp"

namespace certmill::dnssim {

boost::asio::awaitable<Status> DnsWriter::apply(const Change& change) {
  if (!server_)
    co_return Status{};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (const auto& [values, kind] : {std::pair{&change.removed, solvers::rfc2136::Change::remove},
                                     std::pair{&change.added, solvers::rfc2136::Change::add}}) {
    for (const std::string& value : *values) {
      Status done = co_await solvers::rfc2136::rfc2136_update(executor_, *server_, change.zone,
                                                              change.name, value, kind, deadline);
      if (!done)
        co_return done;
    }
  }
  co_return Status{};
}

}  // namespace certmill::dnssim
