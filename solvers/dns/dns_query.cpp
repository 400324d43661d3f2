// Builds the question, sends it on the channel, reads the answer.
#include "solvers/dns/dns_query.hpp"

namespace certmill::solvers::dns {

boost::asio::awaitable<Result<Message>> ask(AresChannel& channel, std::string name, RecordType type,
                                            bool recursion_desired,
                                            std::chrono::steady_clock::time_point deadline) {
  const std::string what = type_name(type) + " " + name;
  auto query = build_query(name, type, recursion_desired);
  if (!query)
    co_return query.error();
  auto answer = co_await channel.send(std::move(*query), deadline);
  if (!answer) {
    const Error& e = answer.error();
    if (e.code() == std::errc::operation_canceled)
      co_return Error(e.code(), "cancelled while asking " + channel.describe() + " for " + what);
    co_return Error(e.code(), "asking " + channel.describe() + " for " + what + ": " + e.message());
  }
  auto message = parse_message(*answer);
  if (!message)
    co_return Error(message.error().code(),
                    channel.describe() + " for " + what + ": " + message.error().message());
  co_return std::move(*message);
}

}  // namespace certmill::solvers::dns
