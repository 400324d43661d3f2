// kube-sim: a Kubernetes API server for certmill's tests and benchmarks. It
// serves HTTPS with a generated certificate and a bearer token, writes a
// kubeconfig once it is ready, and stops cleanly on SIGTERM.
#include <cstdio>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/base64.hpp"
#include "core/log.hpp"
#include "reactor/log_sink.hpp"
#include "reactor/reactor.hpp"
#include "reactor/signals.hpp"
#include "tools/cli/flags.hpp"
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/server.hpp"
#include "tools/kube-sim/tls.hpp"

namespace asio = boost::asio;
using namespace certmill;
using namespace certmill::kubesim;

namespace {

// Written to a temporary name and renamed, so a reader never sees half a file.
bool write_kubeconfig(const std::string& path, const std::string& url, const std::string& ca_pem,
                      const std::string& token) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "apiVersion: v1\n"
           "kind: Config\n"
           "clusters:\n"
           "- name: kube-sim\n"
           "  cluster:\n"
           "    server: "
        << url << "\n    certificate-authority-data: " << base64_encode(ca_pem)
        << "\n"
           "users:\n"
           "- name: kube-sim\n"
           "  user:\n"
           "    token: "
        << token
        << "\n"
           "contexts:\n"
           "- name: kube-sim\n"
           "  context:\n"
           "    cluster: kube-sim\n"
           "    user: kube-sim\n"
           "    namespace: default\n"
           "current-context: kube-sim\n";
    if (!out)
      return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  std::string kubeconfig;
  std::string token;
  std::string version = "v1.26.4";
  unsigned history = 100000;
  unsigned body_limit = 3 * 1024 * 1024;
  Duration bookmark_interval = std::chrono::seconds(60);
  double error_429 = 0;
  double error_500 = 0;
  double error_503 = 0;
  Duration latency{0};
  std::string log_level = "info";
  cli::FlagSet flags("kube-sim",
                     "A Kubernetes API server for tests and benchmarks: HTTPS, bearer token,\n"
                     "CRDs, watches, and fault injection (PUT /kube-sim/faults; counts at\n"
                     "GET /kube-sim/stats).");
  flags.add("listen", &listen, "host:port to serve on; port 0 picks a free port");
  flags.add("write-kubeconfig", &kubeconfig, "write a kubeconfig here once ready to serve");
  flags.add("token", &token, "bearer token clients must send (default: random)");
  flags.add("server-version", &version, "gitVersion /version reports (kubectl picks by minor)");
  flags.add("history", &history, "watch events kept for resuming; older resumes get 410 Gone");
  flags.add("body-limit", &body_limit, "largest request body in bytes; larger ones get 413");
  flags.add("bookmark-interval", &bookmark_interval, "how often watches get BOOKMARK events");
  flags.add("fault-429", &error_429, "fraction of API requests answered 429 Too Many Requests");
  flags.add("fault-500", &error_500, "fraction of API requests answered 500");
  flags.add("fault-503", &error_503, "fraction of API requests answered 503");
  flags.add("fault-latency", &latency, "latency added to every API request");
  flags.add_choice("log-level", &log_level, {"debug", "info", "warn", "error"},
                   "least severe log level to write (debug logs every request)");
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = flags.parse(args);
  if (!parsed) {
    std::fprintf(stderr, "kube-sim: %s\n", parsed.error().message().c_str());
    return 2;
  }
  if (parsed->help) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }
  reactor::log_to_stderr();
  log::configure(log_level == "debug"   ? log::Level::debug
                 : log_level == "warn"  ? log::Level::warn
                 : log_level == "error" ? log::Level::error
                                        : log::Level::info,
                 log::Format::text);
  ServerConfig config;
  config.body_limit = body_limit;
  config.bookmark_interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(bookmark_interval);
  if (token.empty())
    token = random_token();

  Options options;
  options.token = token;
  options.history_limit = history;
  options.git_version = version;
  Api api(options);
  api.faults().error_429 = error_429;
  api.faults().error_500 = error_500;
  api.faults().error_503 = error_503;
  api.faults().latency = std::chrono::duration_cast<std::chrono::milliseconds>(latency);

  const ServingCert cert = make_serving_cert();
  reactor::Reactor reactor(1);
  auto listening = Server::listen(reactor.shard(0), api, listen, config, cert);
  if (!listening) {
    std::fprintf(stderr, "kube-sim: %s\n", listening.error().message().c_str());
    return 1;
  }
  const std::unique_ptr<Server> server = std::move(*listening);
  // A URL needs a host: every interface (":0") includes loopback.
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.empty())
    host = "127.0.0.1";
  const std::string address = host + ":" + std::to_string(server->port());
  api.set_server_address(address);
  const std::string url = "https://" + address;

  std::promise<int> signalled;
  asio::co_spawn(
      reactor.shard(0).executor(),
      [&]() -> asio::awaitable<void> {
        signalled.set_value(co_await reactor::wait_for_termination_signal());
      },
      asio::detached);
  asio::post(reactor.shard(0).executor(), [&] { server->start(); });
  reactor.start();
  if (!kubeconfig.empty() && !write_kubeconfig(kubeconfig, url, cert.cert_pem, token)) {
    std::fprintf(stderr, "kube-sim: cannot write kubeconfig %s\n", kubeconfig.c_str());
    asio::post(reactor.shard(0).executor(), [&] { server->stop(); });
    reactor.shutdown(std::chrono::seconds(1), std::chrono::seconds(1)).get();
    reactor.join();
    return 1;
  }
  std::printf("kube-sim listening on %s\n", url.c_str());
  std::fflush(stdout);
  log::info("kube-sim ready", {{"url", url}});

  const int signal = signalled.get_future().get();
  log::info("kube-sim stopping", {{"signal", signal}});
  asio::post(reactor.shard(0).executor(), [&] { server->stop(); });
  reactor.shutdown(std::chrono::seconds(2), std::chrono::seconds(1)).get();
  reactor.join();
  return 0;
}
