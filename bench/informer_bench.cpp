// The k8s client's cache at fleet size: a kube-sim with N Certificates and N
// Secrets; how long the informers take to list and cache them, how many heap
// bytes each cached object costs (as the full API struct and as a compact
// view), and how many watch events one shard decodes and applies per second.
// Prints a table; bench/RESULTS.md records the command and the figures.
#include <atomic>
#include <cstdio>
#include <malloc.h>
#include <sys/resource.h>
#include <thread>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "core/api/certificate.hpp"
#include "core/api/secret.hpp"
#include "k8s/informer.hpp"
#include "k8s/yaml.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/files.hpp"
#include "tests/support/kube_sim.hpp"
#include "tools/cli/flags.hpp"

using namespace certmill;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::size_t heap_in_use() {
  malloc_trim(0);
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The compact forms a controller keeps: the fields it decides on.
struct CertificateCompact {
  std::string uid, resource_version, secret_name, issuer_name, issuer_kind;
  std::uint64_t spec_hash = 0;
  std::optional<Time> not_after, renewal_time;
  api::ConditionStatus ready = api::ConditionStatus::Unknown;
  bool operator==(const CertificateCompact&) const = default;
};
CertificateCompact compact(api::Certificate&& c) {
  CertificateCompact v;
  v.uid = std::move(c.metadata.uid);
  v.resource_version = std::move(c.metadata.resource_version);
  v.secret_name = std::move(c.spec.secret_name);
  v.issuer_name = std::move(c.spec.issuer_ref.name);
  v.issuer_kind = std::move(c.spec.issuer_ref.kind);
  for (const char ch : api::encode(c.spec))
    v.spec_hash = (v.spec_hash ^ ch) * 1099511628211ull;
  v.not_after = c.status.not_after;
  v.renewal_time = c.status.renewal_time;
  for (const auto& cond : c.status.conditions) {
    if (cond.type == "Ready")
      v.ready = cond.status;
  }
  return v;
}

struct SecretCompact {
  std::string resource_version;
  std::uint64_t data_hash = 0;
  bool operator==(const SecretCompact&) const = default;
};
SecretCompact compact(api::Secret&& s) {
  SecretCompact v;
  v.resource_version = std::move(s.metadata.resource_version);
  for (const auto& [k, bytes] : s.data) {
    for (const char ch : k + bytes.data)
      v.data_hash = (v.data_hash ^ ch) * 1099511628211ull;
  }
  return v;
}

api::Certificate certificate(unsigned i) {
  api::Certificate c;
  c.metadata.namespace_ = "team-" + std::to_string(i % 20);
  c.metadata.name = "web-" + std::to_string(i);
  c.spec.secret_name = c.metadata.name + "-tls";
  c.spec.issuer_ref = {"ca-issuer", "ClusterIssuer", "cert-manager.io"};
  c.spec.dns_names = {c.metadata.name + ".example.com", "www." + c.metadata.name + ".example.com"};
  c.spec.duration = 2160h;
  c.spec.private_key =
      api::CertificatePrivateKey{std::nullopt, std::nullopt, api::PrivateKeyAlgorithm::ECDSA, 256};
  return c;
}

api::Secret secret(unsigned i) {
  api::Secret s;
  s.metadata.namespace_ = "team-" + std::to_string(i % 20);
  s.metadata.name = "web-" + std::to_string(i) + "-tls";
  s.metadata.labels["controller.cert-manager.io/fao"] = "true";
  s.type = "kubernetes.io/tls";
  // Sizes of a P-256 leaf with its CA and key in PEM.
  s.data["tls.crt"] = api::Bytes{std::string(1500, 'c')};
  s.data["tls.key"] = api::Bytes{std::string(240, 'k')};
  s.data["ca.crt"] = api::Bytes{std::string(700, 'a')};
  return s;
}

// Creates `count` objects with `parallel` coroutines on the client's shard.
template <class Make>
void create_all(reactor::Shard& shard, k8s::Client& client, unsigned count, Make make,
                const char* what) {
  std::atomic<unsigned> done{0}, failed{0};
  const unsigned parallel = 32;
  const auto start = Clock::now();
  reactor::run_and_wait(shard.executor(), [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto worker = [&](unsigned first) -> asio::awaitable<void> {
      for (unsigned i = first; i < count; i += parallel) {
        auto r = co_await client.create(make(i));
        ++(r ? done : failed);
        if (!r && failed == 1)
          std::fprintf(stderr, "create failed: %s\n", r.error().message().c_str());
      }
    };
    auto group = worker(0);
    for (unsigned w = 1; w < parallel; ++w)
      group = std::move(group) && worker(w);
    co_await std::move(group);
  });
  std::fprintf(stderr, "created %u %s in %.1f s (%u failed)\n", done.load(), what,
               seconds_since(start), failed.load());
}

struct CacheFigures {
  double seconds = 0;
  std::size_t objects = 0;
  double bytes_per_object = 0;
};

// Lists and caches every T with an informer whose cache keeps Compact.
template <class T, class Compact>
CacheFigures cache_all(const k8s::ClientConfig& config, unsigned shards,
                       std::function<Compact(T&&)> project, std::string label_selector = {}) {
  CacheFigures f;
  {
    reactor::Reactor reactor(shards);
    auto http = k8s::HttpClient::create(reactor.shard(0).executor(), config);
    k8s::Client client(std::move(*http), 60s);
    k8s::InformerOptions options;
    options.label_selector = std::move(label_selector);
    k8s::Informer<T, Compact> informer(reactor, options, std::move(project));
    const auto start = Clock::now();
    reactor.spawn_service(reactor.shard(0),
                          [&]() -> asio::awaitable<void> { co_await informer.run(client); });
    reactor.start();
    while (!informer.synced())
      std::this_thread::sleep_for(1ms);
    f.seconds = seconds_since(start);
    for (unsigned i = 0; i < shards; ++i) {
      f.objects += reactor::run_and_wait(reactor.shard(i).executor(),
                                         [&] { return informer.partition(i).size(); });
    }
    // The cache's share: heap with the objects cached, minus heap once they
    // are dropped (parser buffers, connections and threads stay in both).
    const std::size_t with_cache = heap_in_use();
    for (unsigned i = 0; i < shards; ++i) {
      reactor::run_and_wait(reactor.shard(i).executor(),
                            [&] { informer.partition(i).replace({}); });
    }
    f.bytes_per_object = static_cast<double>(with_cache - heap_in_use()) / f.objects;
    reactor.shutdown(1s, 1s).get();
    reactor.join();
  }
  return f;
}

// Events one shard decodes and projects per second: a watch from version 0
// replays every object as ADDED.
double watch_events_per_second(const k8s::ClientConfig& config, unsigned expected) {
  reactor::Reactor reactor(1);
  reactor.start();
  auto http = k8s::HttpClient::create(reactor.shard(0).executor(), config);
  k8s::Client client(std::move(*http), 60s);
  return reactor::run_and_wait(reactor.shard(0).executor(), [&]() -> asio::awaitable<double> {
    k8s::WatchOptions options;
    options.resource_version = "0";
    options.bookmarks = false;
    auto stream = co_await client.watch<api::Certificate>("", options);
    if (!stream)
      co_return 0.0;
    std::unordered_map<std::string, CertificateCompact> cache;
    const auto start = Clock::now();
    while (cache.size() < expected) {
      auto line = co_await (*stream)->next_line(30s);
      if (!line || !*line)
        break;
      auto event = api::decode_watch_event<api::Certificate>(**line);
      if (!event || !event->object)
        continue;
      std::string key = event->object->metadata.namespace_ + "/" + event->object->metadata.name;
      cache.insert_or_assign(std::move(key), compact(std::move(*event->object)));
    }
    co_return cache.size() / seconds_since(start);
  });
}

void post(reactor::Shard& shard, k8s::Client& client, const std::string& target,
          const std::string& body) {
  auto r =
      reactor::run_and_wait(shard.executor(), [&]() -> asio::awaitable<Result<k8s::HttpResponse>> {
        k8s::HttpRequest request;
        request.method = "POST";
        request.target = target;
        request.body = body;
        request.content_type = "application/json";
        co_return co_await client.http().send(request, 30s);
      });
  if (!r || r->status != 201) {
    throw std::runtime_error("POST " + target + " failed: " +
                             (r ? std::to_string(r->status) + " " + r->body : r.error().message()));
  }
}

// The Certificate CRD and the namespaces the objects live in.
void prepare(reactor::Shard& shard, k8s::Client& client) {
  const std::string crd = "deploy/crds/cert-manager.io_certificates.yaml";
  auto docs = k8s::yaml_documents_to_json(test::read_file(crd));
  if (!docs || docs->empty())
    throw std::runtime_error("cannot read " + crd);
  post(shard, client, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", docs->front());
  for (int i = 0; i < 20; ++i) {
    post(shard, client, "/api/v1/namespaces",
         R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-)" + std::to_string(i) +
             "\"}}");
  }
}

}  // namespace

int main(int argc, char** argv) {
  unsigned count = 10000;
  unsigned shards = 2;
  cli::FlagSet flags("bench_informer",
                     "Lists and caches N Certificates and N Secrets from kube-sim; reports time,\n"
                     "heap bytes per cached object and watch events per second per shard.");
  flags.add("objects", &count, "Certificates, and as many Secrets");
  flags.add("shards", &shards, "reactor shards holding the caches");
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = flags.parse(args);
  if (!parsed || parsed->help) {
    std::fputs(parsed ? flags.usage().c_str() : (parsed.error().message() + "\n").c_str(),
               parsed ? stdout : stderr);
    return parsed ? 0 : 2;
  }
  log::configure(log::Level::warn, log::Format::text);

  test::KubeSim sim;
  auto config = k8s::load_client_config(sim.kubeconfig, "", k8s::process_environment());
  if (!config)
    return std::fprintf(stderr, "%s\n", config.error().message().c_str()), 1;

  {
    reactor::Reactor loader(1);
    loader.start();
    auto http = k8s::HttpClient::create(loader.shard(0).executor(), *config);
    k8s::Client client(std::move(*http), 60s);
    prepare(loader.shard(0), client);
    create_all(loader.shard(0), client, count, certificate, "Certificates");
    create_all(loader.shard(0), client, count, secret, "Secrets");
  }

  const auto full_certs = cache_all<api::Certificate, api::Certificate>(
      *config, shards, [](api::Certificate&& c) { return std::move(c); });
  const auto compact_certs = cache_all<api::Certificate, CertificateCompact>(
      *config, shards, [](api::Certificate&& c) { return compact(std::move(c)); });
  const auto full_secrets = cache_all<api::Secret, api::Secret>(
      *config, shards, [](api::Secret&& s) { return std::move(s); },
      "controller.cert-manager.io/fao=true");
  const auto compact_secrets = cache_all<api::Secret, SecretCompact>(
      *config, shards, [](api::Secret&& s) { return compact(std::move(s)); },
      "controller.cert-manager.io/fao=true");
  const double events = watch_events_per_second(*config, count);

  std::printf("%-34s %8s %10s %14s\n", "CACHE", "OBJECTS", "LIST+SYNC", "HEAP/OBJECT");
  auto row = [](const char* what, const CacheFigures& f) {
    std::printf("%-34s %8zu %9.2fs %12.0f B\n", what, f.objects, f.seconds, f.bytes_per_object);
  };
  row("Certificates, full api struct", full_certs);
  row("Certificates, compact view", compact_certs);
  row("Secrets, full api struct", full_secrets);
  row("Secrets, compact view", compact_secrets);
  std::printf("\nwatch events decoded and cached on one shard: %.0f/s\n", events);
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS of this process (client, caches, no kube-sim): %.1f MiB\n",
              usage.ru_maxrss / 1024.0);
  return 0;
}
