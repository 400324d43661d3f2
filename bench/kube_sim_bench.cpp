// kube-sim under fleet load: creates (then deletes) per second over keep-alive
// connections, and watch events delivered per second to concurrent watchers, so fleet
// benchmarks can tell whether kube-sim could be their bottleneck. Not a
// Google Benchmark: one timed run against a real kube-sim process.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "tests/support/kube_sim.hpp"
#include "tools/cli/flags.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto use = asio::as_tuple(asio::use_awaitable);

const char* const crd =
    R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
"metadata":{"name":"certificates.cert-manager.io"},"spec":{"group":"cert-manager.io","names":{"kind":
"Certificate","listKind":"CertificateList","plural":"certificates","singular":"certificate"},"scope":
"Namespaced","versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","required":[
"secretName","issuerRef"],"properties":{"secretName":{"type":"string"},"dnsNames":{"type":"array",
"items":{"type":"string"}},"issuerRef":{"type":"object","properties":{"name":{"type":"string"},
"kind":{"type":"string"}}}}},"status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}})";

struct Bench {
  asio::io_context io{1};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  unsigned short port;
  std::string token;
  unsigned objects;
  std::size_t created = 0;
  std::size_t failed = 0;
  std::size_t next = 0;
  std::vector<std::size_t> received;  // events per watcher
  std::size_t watchers_ready = 0;
  Clock::time_point start;
  Clock::time_point creates_done;
  Clock::time_point events_done;
  std::size_t watchers_done = 0;
  std::size_t next_delete = 0;
  std::size_t deleted = 0;
  Clock::time_point deletes_done;

  asio::awaitable<bool> connect(Stream& s) {
    beast::get_lowest_layer(s).expires_after(std::chrono::seconds(20));
    auto [ec] = co_await beast::get_lowest_layer(s).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use);
    if (ec)
      co_return false;
    auto [hec] = co_await s.async_handshake(asio::ssl::stream_base::client, use);
    co_return !hec;
  }

  http::request<http::string_body> request(http::verb verb, std::string target, std::string body) {
    http::request<http::string_body> r{verb, target, 11};
    r.set(http::field::host, "127.0.0.1");
    r.set(http::field::authorization, "Bearer " + token);
    r.set(http::field::user_agent, "kube-sim-bench");
    r.set(http::field::content_type, "application/json");
    r.set(http::field::accept, "application/json");
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
  }

  asio::awaitable<void> creator() {
    Stream s(io, tls);
    if (!co_await connect(s))
      co_return;
    beast::flat_buffer buffer;
    while (next < objects) {
      const std::size_t i = next++;
      std::string body =
          R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"cert-)" +
          std::to_string(i) + R"(","labels":{"fleet":"bench"}},"spec":{"secretName":"cert-)" +
          std::to_string(i) + R"(-tls","dnsNames":["host-)" + std::to_string(i) +
          R"(.example.com"],"issuerRef":{"name":"ca","kind":"Issuer"}}})";
      auto req =
          request(http::verb::post, "/apis/cert-manager.io/v1/namespaces/default/certificates",
                  std::move(body));
      beast::get_lowest_layer(s).expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await http::async_write(s, req, use);
      http::response<http::string_body> res;
      auto [rec, rn] = co_await http::async_read(s, buffer, res, use);
      (void)wn;
      (void)rn;
      if (wec || rec) {
        ++failed;
        co_return;
      }
      if (res.result_int() == 201)
        ++created;
      else
        ++failed;
    }
    if (created + failed == objects && creates_done == Clock::time_point{})
      creates_done = Clock::now();
  }

  // Deletes cert-0 .. cert-(objects-1) on one keep-alive connection per call.
  asio::awaitable<void> deleter() {
    Stream s(io, tls);
    if (!co_await connect(s))
      co_return;
    beast::flat_buffer buffer;
    while (next_delete < objects) {
      const std::size_t i = next_delete++;
      auto req = request(
          http::verb::delete_,
          "/apis/cert-manager.io/v1/namespaces/default/certificates/cert-" + std::to_string(i), "");
      beast::get_lowest_layer(s).expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await http::async_write(s, req, use);
      http::response<http::string_body> res;
      auto [rec, rn] = co_await http::async_read(s, buffer, res, use);
      (void)wn;
      (void)rn;
      if (wec || rec || res.result_int() != 200) {
        ++failed;
        co_return;
      }
      if (++deleted == objects)
        deletes_done = Clock::now();
    }
  }

  asio::awaitable<void> watcher(std::size_t index, std::string rv) {
    Stream s(io, tls);
    if (!co_await connect(s))
      co_return;
    auto req = request(http::verb::get,
                       "/apis/cert-manager.io/v1/namespaces/default/certificates?watch=1&"
                       "resourceVersion=" +
                           rv + "&timeoutSeconds=600",
                       "");
    auto [wec, wn] = co_await http::async_write(s, req, use);
    (void)wn;
    if (wec)
      co_return;
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    auto [hec, hn] = co_await http::async_read_header(s, buffer, parser, use);
    (void)hn;
    if (hec)
      co_return;
    beast::get_lowest_layer(s).expires_never();
    ++watchers_ready;
    std::vector<char> chunk(256 * 1024);
    while (received[index] < objects) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      auto [ec, n] = co_await http::async_read_some(s, buffer, parser, use);
      (void)n;
      if (ec && ec != http::error::need_buffer)
        co_return;
      const std::size_t used = chunk.size() - parser.get().body().size;
      for (std::size_t i = 0; i < used; ++i)
        received[index] += chunk[i] == '\n';
    }
    if (++watchers_done == received.size())
      events_done = Clock::now();
    beast::error_code ignored;
    beast::get_lowest_layer(s).socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
};

std::string post(certmill::test::KubeSim& sim, asio::io_context& io, asio::ssl::context& tls,
                 const std::string& target, const std::string& body) {
  std::string answer;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        Stream s(io, tls);
        beast::get_lowest_layer(s).expires_after(std::chrono::seconds(20));
        co_await beast::get_lowest_layer(s).async_connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), sim.port), use);
        co_await s.async_handshake(asio::ssl::stream_base::client, use);
        http::request<http::string_body> r{body.empty() ? http::verb::get : http::verb::post,
                                           target, 11};
        r.set(http::field::host, "127.0.0.1");
        r.set(http::field::authorization, "Bearer " + sim.token);
        r.set(http::field::content_type, "application/json");
        r.body() = body;
        r.prepare_payload();
        co_await http::async_write(s, r, use);
        beast::flat_buffer b;
        http::response<http::string_body> res;
        co_await http::async_read(s, b, res, use);
        answer = res.body();
      },
      asio::detached);
  io.restart();
  io.run_for(std::chrono::seconds(30));
  return answer;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned objects = 10000;
  unsigned watchers = 20;
  unsigned connections = 8;
  certmill::cli::FlagSet flags("kube_sim_bench",
                               "Creates Certificates in kube-sim while watchers receive them;\n"
                               "prints creates/s and watch events delivered/s.");
  flags.add("objects", &objects, "Certificates to create");
  flags.add("watchers", &watchers, "concurrent watch streams");
  flags.add("connections", &connections, "concurrent keep-alive connections creating");
  if (auto exit_code = flags.parse_main(argc, argv))
    return *exit_code;
  certmill::test::KubeSim sim;
  Bench b;
  b.tls.set_verify_mode(asio::ssl::verify_none);
  b.port = sim.port;
  b.token = sim.token;
  b.objects = objects;
  b.received.assign(watchers, 0);
  post(sim, b.io, b.tls, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  const std::string list =
      post(sim, b.io, b.tls, "/apis/cert-manager.io/v1/namespaces/default/certificates", "");
  const auto rv_at = list.find("\"resourceVersion\":\"");
  const std::string rv = list.substr(rv_at + 19, list.find('"', rv_at + 19) - rv_at - 19);

  b.io.restart();
  for (unsigned w = 0; w < watchers; ++w)
    asio::co_spawn(b.io, b.watcher(w, rv), asio::detached);
  while (b.watchers_ready < watchers)
    b.io.run_one_for(std::chrono::seconds(10));
  b.start = Clock::now();
  for (unsigned c = 0; c < connections; ++c)
    asio::co_spawn(b.io, b.creator(), asio::detached);
  b.io.run_for(std::chrono::seconds(600));

  const auto delete_start = Clock::now();
  b.io.restart();
  for (unsigned c = 0; c < connections; ++c)
    asio::co_spawn(b.io, b.deleter(), asio::detached);
  b.io.run_for(std::chrono::seconds(600));
  const double delete_s = std::chrono::duration<double>(b.deletes_done - delete_start).count();

  const double create_s = std::chrono::duration<double>(b.creates_done - b.start).count();
  const double events_s = std::chrono::duration<double>(b.events_done - b.start).count();
  std::size_t events = 0;
  for (auto n : b.received)
    events += n;
  std::printf("objects %u, watchers %u, creating connections %u\n", objects, watchers, connections);
  std::printf("created %zu (failed %zu) in %.3f s: %.0f creates/s\n", b.created, b.failed, create_s,
              b.created / create_s);
  std::printf("watch events delivered %zu in %.3f s: %.0f events/s\n", events, events_s,
              events / events_s);
  std::printf("deleted %zu in %.3f s: %.0f deletes/s\n", b.deleted, delete_s, b.deleted / delete_s);
  return b.failed == 0 && b.deleted == objects && b.watchers_done == watchers ? 0 : 1;
}
