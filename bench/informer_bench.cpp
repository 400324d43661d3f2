// The controller's caches at fleet size. First, in this process, per kind:
// sizeof each view, the heap one view holds, and what one cache entry costs
// with its key and map node, for N converged Certificates with the Secret and
// the issued CertificateRequest certmill writes for each. Then, from a
// kube-sim holding those objects: how long the informers take to list and
// cache them, the heap per cached object (full API struct and view), and how
// many watch events one shard decodes and projects per second.
// Prints a table; bench/RESULTS.md records the command and the figures.
#include <atomic>
#include <cstdio>
#include <malloc.h>
#include <sys/resource.h>
#include <thread>
#include <type_traits>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "controller/certificate_view.hpp"
#include "controller/request_view.hpp"
#include "controller/secret_view.hpp"
#include "controller/status_writes.hpp"
#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"
#include "core/api/secret.hpp"
#include "core/pki/ca_keypair.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/sign.hpp"
#include "core/pki/tls_secret.hpp"
#include "k8s/cache.hpp"
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

// One CA signs every leaf, as a CA issuer would.
struct Pki {
  pki::CaKeyPair ca;
};

template <class T>
T must(Result<T> r, const char* what) {
  if (!r)
    throw std::runtime_error(std::string(what) + ": " + r.error().message());
  return std::move(*r);
}

pki::PrivateKey p256() {
  api::CertificatePrivateKey k;
  k.algorithm = api::PrivateKeyAlgorithm::ECDSA;
  return must(pki::generate_private_key(must(pki::key_spec_for(k), "key spec")), "key");
}

Pki make_pki(Time now) {
  pki::PrivateKey key = p256();
  api::CertificateSpec root;
  root.common_name = "certmill bench root";
  root.is_ca = true;
  root.duration = std::chrono::hours(24 * 3650);
  auto csr = must(pki::build_csr(root, key), "root csr");
  auto issued = must(pki::sign_self_signed({csr, root.duration, true, {}, now}, key, {}), "root");
  auto key_pem = must(pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1), "root key");
  return {must(pki::load_ca_key_pair(issued.chain_pem, key_pem, now, "bench/root-ca"), "ca")};
}

std::string uid(unsigned i) {
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-a%03x-%012llx", i * 2654435761u, i & 0xffff,
                (i >> 4) & 0xfff, (i >> 8) & 0xfff, 0x5eed00000000ull + i);
  return text;
}

// A converged Certificate as certmill leaves it: spec as a user writes it,
// status with Ready and Issuing as the reconciler writes them.
api::Certificate certificate(unsigned i, Time now) {
  api::Certificate c;
  c.metadata.namespace_ = "team-" + std::to_string(i % 20);
  c.metadata.name = "web-" + std::to_string(i);
  c.metadata.uid = uid(i);
  c.metadata.resource_version = std::to_string(100000 + i);
  c.metadata.generation = 1;
  c.spec.secret_name = c.metadata.name + "-tls";
  c.spec.issuer_ref = {"ca-issuer", "ClusterIssuer", "cert-manager.io"};
  c.spec.dns_names = {c.metadata.name + ".example.com", "www." + c.metadata.name + ".example.com"};
  c.spec.duration = 2160h;
  c.spec.private_key =
      api::CertificatePrivateKey{std::nullopt, std::nullopt, api::PrivateKeyAlgorithm::ECDSA, 256};
  c.status.conditions = {
      {"Ready", api::ConditionStatus::True, "Ready",
       "Certificate is up to date and has not expired", now, 1},
      {"Issuing", api::ConditionStatus::False, "Issued",
       "The certificate has been successfully issued", now, 1},
  };
  c.status.not_before = now;
  c.status.not_after = now + 2160h;
  c.status.renewal_time = now + 1440h;
  c.status.revision = 1;
  return c;
}

// What one issuance leaves: the TLS Secret and the issued request.
struct Issuance {
  api::Secret secret;
  api::CertificateRequest request;
};

Issuance issue(const Pki& p, const api::Certificate& crt, unsigned i, Time now) {
  const pki::PrivateKey key = p256();
  auto csr = must(pki::build_csr(crt.spec, key), "csr");
  auto bundle = must(pki::sign_with_ca({csr, crt.spec.duration, false, {}, now}, p.ca, {}), "sign");
  auto key_pem = must(pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1), "key pem");
  Issuance out;
  out.secret =
      must(pki::build_tls_secret(crt, {key_pem, bundle.chain_pem, bundle.ca_pem, std::nullopt}),
           "secret");
  out.secret.metadata.uid = uid(i + 1000000);
  out.secret.metadata.resource_version = crt.metadata.resource_version + "1";
  out.request = controller::make_request(crt, 1, std::move(csr));
  out.request.metadata.uid = uid(i + 2000000);
  out.request.metadata.resource_version = crt.metadata.resource_version + "2";
  controller::mark_issued(out.request.status, {bundle.chain_pem, bundle.ca_pem}, now);
  return out;
}

// Every object as its JSON on the wire: a cache is filled from decoded
// objects, never from ones built in this process.
struct Fleet {
  std::vector<std::string> certificates, secrets, requests;
};

Fleet make_fleet(unsigned count) {
  const Time now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const Pki p = make_pki(now - 24h);
  Fleet f;
  for (unsigned i = 0; i < count; ++i) {
    api::Certificate crt = certificate(i, now);
    Issuance issued = issue(p, crt, i, now);
    f.certificates.push_back(api::encode(crt));
    f.secrets.push_back(api::encode(issued.secret));
    f.requests.push_back(api::encode(issued.request));
  }
  return f;
}

struct ViewFigures {
  std::size_t size_of = 0;
  double api_heap = 0;     // the decoded API struct's heap, for comparison
  double view_heap = 0;    // what one view holds out of line
  double entry_bytes = 0;  // sizeof + heap + key + node + bucket, in a cache's map
};

// Decodes and projects every object twice: into preallocated storage (the
// view's own heap) and into a cache partition's map (the whole entry).
template <class T, class Project>
ViewFigures measure_views(const std::vector<std::string>& wire, Project project) {
  using View = std::invoke_result_t<Project, T&&>;
  ViewFigures f;
  f.size_of = sizeof(View);
  const double n = static_cast<double>(wire.size());
  {
    std::vector<T> objects;
    objects.reserve(wire.size());
    const std::size_t before = heap_in_use();
    for (const std::string& json : wire)
      objects.push_back(must(api::decode<T>(json), "decode"));
    f.api_heap = static_cast<double>(heap_in_use() - before) / n;
  }
  {
    std::vector<View> views;
    views.reserve(wire.size());
    const std::size_t before = heap_in_use();
    for (const std::string& json : wire)
      views.push_back(project(must(api::decode<T>(json), "decode")));
    f.view_heap = static_cast<double>(heap_in_use() - before) / n;
  }
  {
    k8s::CachePartition<View> cache;
    const std::size_t before = heap_in_use();
    for (const std::string& json : wire) {
      T object = must(api::decode<T>(json), "decode");
      cache.upsert(project(std::move(object)));
    }
    f.entry_bytes = static_cast<double>(heap_in_use() - before) / n;
  }
  return f;
}

// Creates the objects with `parallel` coroutines on the client's shard; the
// API server drops status on create, so it is written after, as the
// controller writes it.
template <class T>
void create_all(reactor::Shard& shard, k8s::Client& client, const std::vector<std::string>& wire,
                const char* what) {
  std::atomic<unsigned> done{0}, failed{0};
  const unsigned parallel = 32;
  const auto count = static_cast<unsigned>(wire.size());
  const auto start = Clock::now();
  reactor::run_and_wait(shard.executor(), [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto worker = [&](unsigned first) -> asio::awaitable<void> {
      for (unsigned i = first; i < count; i += parallel) {
        T object = must(api::decode<T>(wire[i]), "decode");
        object.metadata.uid.clear();
        object.metadata.resource_version.clear();
        auto r = co_await client.create(object);
        if constexpr (!std::is_same_v<T, api::Secret>) {
          if (r) {
            r->status = std::move(object.status);
            r = co_await client.update_status(*r);
          }
        }
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
    std::unordered_map<std::string, controller::CertificateView> cache;
    const auto start = Clock::now();
    while (cache.size() < expected) {
      auto line = co_await (*stream)->next_line(30s);
      if (!line || !*line)
        break;
      auto event = api::decode_watch_event<api::Certificate>(**line);
      if (!event || !event->object)
        continue;
      std::string key = event->object->metadata.namespace_ + "/" + event->object->metadata.name;
      cache.insert_or_assign(std::move(key),
                             controller::project_certificate(std::move(*event->object)));
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

// The Certificate and CertificateRequest CRDs and the namespaces the objects
// live in.
void prepare(reactor::Shard& shard, k8s::Client& client) {
  for (const char* kind : {"certificates", "certificaterequests"}) {
    const std::string crd = std::string("deploy/crds/cert-manager.io_") + kind + ".yaml";
    auto docs = k8s::yaml_documents_to_json(test::read_file(crd));
    if (!docs || docs->empty())
      throw std::runtime_error("cannot read " + crd);
    post(shard, client, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", docs->front());
  }
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
                     "Measures the controller's views of N Certificates, Secrets and\n"
                     "CertificateRequests, then lists and caches them from kube-sim; reports\n"
                     "time, heap bytes per cached object and watch events per second per shard.");
  flags.add("objects", &count, "Certificates, and as many Secrets and CertificateRequests");
  flags.add("shards", &shards, "reactor shards holding the caches");
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = flags.parse(args);
  if (!parsed || parsed->help) {
    std::fputs(parsed ? flags.usage().c_str() : (parsed.error().message() + "\n").c_str(),
               parsed ? stdout : stderr);
    return parsed ? 0 : 2;
  }
  log::configure(log::Level::warn, log::Format::text);

  const auto made = Clock::now();
  const Fleet fleet = make_fleet(count);
  std::fprintf(stderr, "made %u Certificates, Secrets and CertificateRequests in %.1f s\n", count,
               seconds_since(made));

  // Per view, in this process: no informer, only decode, project and cache.
  const auto certificate_views = measure_views<api::Certificate>(
      fleet.certificates,
      [](api::Certificate&& c) { return controller::project_certificate(std::move(c)); });
  const auto secret_views = measure_views<api::Secret>(
      fleet.secrets, [](api::Secret&& s) { return controller::project_secret(std::move(s)); });
  const auto request_views = measure_views<api::CertificateRequest>(
      fleet.requests,
      [](api::CertificateRequest&& r) { return controller::project_request(std::move(r)); });

  std::printf("%-22s %8s %8s %12s %12s %12s\n", "VIEW", "OBJECTS", "SIZEOF", "API HEAP",
              "VIEW HEAP", "CACHE ENTRY");
  auto view_row = [count](const char* what, const ViewFigures& f) {
    std::printf("%-22s %8u %6zu B %10.0f B %10.0f B %10.0f B\n", what, count, f.size_of, f.api_heap,
                f.view_heap, f.entry_bytes);
  };
  view_row("CertificateView", certificate_views);
  view_row("SecretView", secret_views);
  view_row("RequestView", request_views);
  std::printf("%-22s %8u %8s %12s %12s %10.0f B\n\n", "per Certificate", count, "", "", "",
              certificate_views.entry_bytes + secret_views.entry_bytes + request_views.entry_bytes);
  std::fflush(stdout);

  // The same caches filled by informers from kube-sim.
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
    create_all<api::Certificate>(loader.shard(0), client, fleet.certificates, "Certificates");
    create_all<api::Secret>(loader.shard(0), client, fleet.secrets, "Secrets");
    create_all<api::CertificateRequest>(loader.shard(0), client, fleet.requests,
                                        "CertificateRequests");
  }

  const auto full_certs = cache_all<api::Certificate, api::Certificate>(
      *config, shards, [](api::Certificate&& c) { return std::move(c); });
  const auto view_certs = cache_all<api::Certificate, controller::CertificateView>(
      *config, shards,
      [](api::Certificate&& c) { return controller::project_certificate(std::move(c)); });
  const auto full_secrets = cache_all<api::Secret, api::Secret>(
      *config, shards, [](api::Secret&& s) { return std::move(s); },
      "controller.cert-manager.io/fao=true");
  const auto view_secrets = cache_all<api::Secret, controller::SecretView>(
      *config, shards, [](api::Secret&& s) { return controller::project_secret(std::move(s)); },
      "controller.cert-manager.io/fao=true");
  const auto full_requests = cache_all<api::CertificateRequest, api::CertificateRequest>(
      *config, shards, [](api::CertificateRequest&& r) { return std::move(r); });
  const auto view_requests = cache_all<api::CertificateRequest, controller::RequestView>(
      *config, shards,
      [](api::CertificateRequest&& r) { return controller::project_request(std::move(r)); });
  const double events = watch_events_per_second(*config, count);

  std::printf("%-36s %8s %10s %14s\n", "CACHE", "OBJECTS", "LIST+SYNC", "HEAP/OBJECT");
  auto row = [](const char* what, const CacheFigures& f) {
    std::printf("%-36s %8zu %9.2fs %12.0f B\n", what, f.objects, f.seconds, f.bytes_per_object);
  };
  row("Certificates, full api struct", full_certs);
  row("Certificates, CertificateView", view_certs);
  row("Secrets, full api struct", full_secrets);
  row("Secrets, SecretView", view_secrets);
  row("CertificateRequests, full api struct", full_requests);
  row("CertificateRequests, RequestView", view_requests);
  std::printf("\nwatch events decoded and projected on one shard: %.0f/s\n", events);
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS of this process (client, caches, no kube-sim): %.1f MiB\n",
              usage.ru_maxrss / 1024.0);
  return 0;
}
