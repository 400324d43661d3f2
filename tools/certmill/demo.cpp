// certmill demo: the README's first command. Until certmill talks to a
// Kubernetes API server, it runs the shape of the real work on the real
// reactor: a Certificate list is decoded, each Certificate goes to its owner
// shard, waits for the shared API-write budget, has an ECDSA P-256 key made
// and used on the worker pool, and is marked Ready. Progress is shown while
// it runs, and a table at the end.
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>
#include <unistd.h>
#include <vector>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"
#include "reactor/invoke.hpp"
#include "reactor/rate_limiter.hpp"
#include "reactor/reactor.hpp"
#include "reactor/signals.hpp"
#include "reactor/worker_pool.hpp"
#include "tools/certmill/commands.hpp"

namespace certmill::cmd {

namespace asio = boost::asio;
namespace {

using Clock = std::chrono::steady_clock;

std::string make_certificate_list(unsigned count) {
  std::string json = R"({"apiVersion":"cert-manager.io/v1","kind":"CertificateList",)"
                     R"("metadata":{"resourceVersion":"1"},"items":[)";
  for (unsigned i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    const std::string ns = "team-" + std::to_string(i % 25);
    json += (i ? "," : "");
    json += R"({"metadata":{"name":"web-)" + n + R"(","namespace":")" + ns +
            R"("},"spec":{"secretName":"web-)" + n + R"(-tls","duration":"2160h",)" +
            R"("issuerRef":{"name":"ca-issuer","kind":"ClusterIssuer"},)" +
            R"("privateKey":{"algorithm":"ECDSA","size":256},)" + R"("dnsNames":["web-)" + n + "." +
            ns + R"(.example.com"]}})";
  }
  return json + "]}";
}

// Real CPU work of the size an issuance has: a P-256 key and one signature.
bool make_key_and_sign(const std::string& payload) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key)
    return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char signature[128];
  std::size_t length = sizeof signature;
  return ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestSign(ctx.get(), signature, &length,
                        reinterpret_cast<const unsigned char*>(payload.data()),
                        payload.size()) == 1;
}

struct Progress {
  std::atomic<unsigned> done{0};
  std::atomic<unsigned> failed{0};
  std::vector<std::atomic<unsigned>> per_shard;
  explicit Progress(unsigned shards) : per_shard(shards) {}
};

void show_progress(const Progress& p, unsigned total, double seconds, bool tty) {
  const unsigned done = p.done.load();
  const int width = 30;
  const int filled = total ? static_cast<int>(width * static_cast<double>(done) / total) : width;
  std::fprintf(stderr, "%s[%.*s%*s] %u/%u certificates Ready  %.0f/s%s", tty ? "\r" : "", filled,
               "##############################", width - filled, "", done, total,
               seconds > 0 ? done / seconds : 0.0, tty ? "" : "\n");
  std::fflush(stderr);
}

}  // namespace

int demo(Args args) {
  unsigned count = 1000;
  unsigned shards = 0;
  unsigned workers = 1;
  double qps = 500;
  double burst = 100;
  LogFlags logging;
  cli::FlagSet flags("certmill demo",
                     "Runs a demo workload on certmill's reactor: decodes a list of\n"
                     "Certificates, routes each to its owner shard, rate-limits the writes,\n"
                     "makes a P-256 key per Certificate on the worker pool, and reports.");
  flags.add("certificates", &count, "how many Certificates the demo fleet has");
  flags.add("shards", &shards, "reactor shards (threads); 0 means one per core");
  flags.add("workers", &workers, "worker-pool threads for key generation");
  flags.add("kube-api-qps", &qps, "API writes per second allowed to the demo");
  flags.add("kube-api-burst", &burst, "API writes allowed in one burst");
  logging.add_to(flags);
  if (int code = parse_or_exit(flags, args); code >= 0)
    return code;
  logging.apply();

  const auto t0 = Clock::now();
  const std::string list_json = make_certificate_list(count);
  auto list = api::decode_list<api::Certificate>(list_json);
  if (!list) {
    log::error("demo list does not decode", {{"error", list.error().message()}});
    return 1;
  }
  const double decode_seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  reactor::Reactor reactor(shards);
  reactor::WorkerPool pool(workers);
  reactor::RateLimiter writes(reactor.clock(), qps, burst);  // owned by shard 0
  Progress progress(reactor.size());
  std::atomic<int> interrupted{0};
  reactor::on_termination_signal(reactor.shard(0).executor(), [&](int signal) {
    if (signal != 0)
      interrupted = signal;
  });
  reactor.start();
  log::info("demo started", {{"certificates", count},
                             {"shards", reactor.size()},
                             {"workers", workers},
                             {"kube_api_qps", qps}});

  const auto start = Clock::now();
  for (auto& cert : list->items) {
    const std::string key = cert.metadata.namespace_ + "/" + cert.metadata.name;
    reactor::Shard& owner = reactor.owner_of(key);
    reactor.spawn(
        owner, [&, &owner = owner, cert = std::move(cert)]() mutable -> asio::awaitable<void> {
          const auto granted =
              co_await reactor::invoke_on(reactor.shard(0), [&] { return writes.acquire(); });
          if (granted)
            co_return;  // cancelled by shutdown
          const std::string payload = api::encode(cert);
          if (!co_await pool.run([&payload] { return make_key_and_sign(payload); })) {
            ++progress.failed;
            co_return;
          }
          cert.status.conditions.push_back({"Ready",
                                            api::ConditionStatus::True,
                                            "Ready",
                                            "Certificate is up to date and has not expired",
                                            {},
                                            1});
          ++progress.per_shard[owner.id()];
          ++progress.done;
        });
  }

  const bool tty = isatty(STDERR_FILENO) != 0;
  auto last_line = Clock::now();
  while (progress.done + progress.failed < count && !interrupted) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto now = Clock::now();
    if (tty || now - last_line >= std::chrono::seconds(1)) {
      show_progress(progress, count, std::chrono::duration<double>(now - start).count(), tty);
      last_line = now;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  show_progress(progress, count, seconds, tty);
  if (tty)
    std::fputc('\n', stderr);

  const auto report = reactor.shutdown(std::chrono::seconds(5), std::chrono::seconds(5)).get();
  reactor.join();
  pool.stop();

  std::printf("\n%-8s %12s\n", "SHARD", "CERTIFICATES");
  for (unsigned i = 0; i < reactor.size(); ++i) {
    std::printf("%-8u %12u\n", i, progress.per_shard[i].load());
  }
  std::printf("%-8s %12u\n\n", "TOTAL", progress.done.load());
  std::printf("decoded %u Certificates in %.3f s; %u Ready in %.2f s (%.0f/s) on %u shards\n",
              count, decode_seconds, progress.done.load(), seconds,
              seconds > 0 ? progress.done / seconds : 0.0, reactor.size());
  std::printf("API writes limited to %.0f/s, burst %.0f\n", qps, burst);
  if (interrupted) {
    std::printf("interrupted by signal %d: %zu in flight, %zu cancelled\n", interrupted.load(),
                report.in_flight, report.cancelled);
    return 130;
  }
  return progress.failed == 0 ? 0 : 1;
}

}  // namespace certmill::cmd
