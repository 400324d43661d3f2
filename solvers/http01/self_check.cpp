// One self-check over the network: resolve (c-ares), connect to each address
// in turn, GET, read the status line and headers, and the body only of a 200,
// at most 4 KiB of it; a redirect starts over at its target. Every step runs
// against the one deadline of the check.
#include "solvers/http01/self_check.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "solvers/dns/address_lookup.hpp"
#include "solvers/http01/self_check_answer.hpp"
#include "solvers/http01/token.hpp"

namespace certmill::solvers {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr int kMaxRedirects = 10;
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr std::uint64_t kBodyLimit = 4 * 1024;  // a key authorization is under 100 bytes

struct Answer {
  unsigned status = 0;
  std::string location;
  std::string body;
};

Error network(const HttpTarget& target, const std::string& what) {
  return Error(std::make_error_code(std::errc::host_unreachable),
               "GET " + describe(target) + ": " + what);
}

std::string said(const beast::error_code& ec) {
  if (ec == beast::error::timeout)
    return "no answer in time";
  return ec.message();
}

asio::awaitable<Result<Answer>> get(const HttpTarget& target, const SelfCheckOptions& options,
                                    Clock::time_point deadline) {
  std::vector<tcp::endpoint> endpoints;
  boost::system::error_code literal;
  const auto address = asio::ip::make_address(target.host, literal);
  if (!literal) {
    endpoints.emplace_back(address, target.port);
  } else {
    auto addresses =
        co_await lookup_addresses(target.host, options.nameservers, deadline - Clock::now());
    if (!addresses)
      co_return network(target, addresses.error().message());
    for (const auto& a : *addresses)
      endpoints.emplace_back(a, target.port);
  }

  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_at(deadline);
  auto [connect_error, connected] =
      co_await stream.async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
  if (connect_error)
    co_return network(target, "cannot connect: " + said(connect_error));

  http::request<http::empty_body> request{http::verb::get, target.path, 11};
  request.set(http::field::host, authority(target));
  request.set(http::field::user_agent, "certmill (HTTP-01 self-check)");
  request.set(http::field::connection, "close");
  auto [write_error, written] =
      co_await http::async_write(stream, request, asio::as_tuple(asio::use_awaitable));
  if (write_error)
    co_return network(target, "cannot send the request: " + said(write_error));

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  // Only a 200's body is read; the limit comes after the header, so a large
  // error page is still judged by its status.
  parser.body_limit(boost::none);
  auto [header_error, header_bytes] =
      co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
  if (header_error)
    co_return network(target, "no HTTP answer: " + said(header_error));
  Answer answer;
  answer.status = parser.get().result_int();
  if (auto it = parser.get().find(http::field::location); it != parser.get().end())
    answer.location = std::string(it->value());
  if (answer.status == 200) {
    if (parser.content_length().value_or(0) > kBodyLimit)
      co_return network(target, "the body is over 4 KiB; a key authorization is under 100 bytes");
    parser.body_limit(kBodyLimit);
    auto [body_error, body_bytes] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (body_error == http::error::body_limit)
      co_return network(target, "the body is over 4 KiB; a key authorization is under 100 bytes");
    if (body_error)
      co_return network(target, "the body did not arrive: " + said(body_error));
    answer.body = std::move(parser.get().body());
  }
  co_return answer;
}

}  // namespace

asio::awaitable<Status> check_http01(std::string name, std::string token,
                                     std::string key_authorization, SelfCheckOptions options) {
  const auto deadline = Clock::now() + options.timeout;
  HttpTarget target{name, options.port, challenge_path(token)};
  for (int redirects = 0;; ++redirects) {
    auto answer = co_await get(target, options, deadline);
    if (!answer)
      co_return answer.error();
    AnswerVerdict verdict =
        judge_answer(target, answer->status, answer->location, answer->body, key_authorization);
    if (!verdict.status || !verdict.redirect_to)
      co_return verdict.status;
    if (redirects == kMaxRedirects)
      co_return Error(Errc::invalid_value,
                      "GET http://" + name + challenge_path(token) + ": more than 10 redirects");
    target = std::move(*verdict.redirect_to);
  }
}

}  // namespace certmill::solvers
