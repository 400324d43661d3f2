// The end-to-end harness: kube-sim, the CRDs, and the controller in process.
#include "tests/controller_live/harness.hpp"

#include <future>
#include <regex>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "reactor/http_server.hpp"
#include "tests/controller_live/exposure_scan.hpp"
#include "tests/controller_live/log_tap.hpp"
#include "tests/support/plain_http.hpp"
#include "tools/fleet/apply.hpp"

namespace certmill::test {

namespace {

std::string json_string(const boost::json::value* v) {
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const boost::json::value* find(const boost::json::value& root,
                               std::initializer_list<const char*> path) {
  const boost::json::value* v = &root;
  for (const char* key : path) {
    if (!v->is_object())
      return nullptr;
    v = v->as_object().if_contains(key);
    if (!v)
      return nullptr;
  }
  return v;
}

}  // namespace

std::string collection_path(const std::string& kind, const std::string& ns) {
  auto path = fleet::collection_path(kind, ns);
  if (!path)
    throw std::runtime_error("the harness cannot create it: " + path.error().message());
  return *path;
}

struct ControllerHarness::Running {
  Running(ControllerHarness& h) : clock(h.clock_), reactor(2, h.clock_), pool(2) {
    const k8s::ClientConfig config = client_config(h.sim_);
    std::vector<k8s::Client*> shard_clients;
    for (unsigned i = 0; i < reactor.size(); ++i) {
      clients.push_back(make_client(reactor.shard(i), config));
      shard_clients.push_back(clients.back().get());
    }
    controller::ControllerConfig settings = h.config_;
    if (!h.http01_address_.empty()) {
      auto listener = reactor::HttpServer::listen(reactor.shard(1).executor(), h.http01_address_,
                                                  {.flag = "--http01-listen-address"});
      if (!listener)
        throw std::runtime_error("HTTP-01 listener: " + listener.error().message());
      http01 = std::move(*listener);
      // What a pod's EndpointSlice names when the config has a pod IP.
      settings.runtime.http01_listen_port = http01->port();
      // A test cannot have port 80: a self-check left at it asks the
      // listener, where Pebble's validation requests arrive too.
      if (settings.runtime.http01_self_check.port == 80)
        settings.runtime.http01_self_check.port = http01->port();
    }
    controller = std::make_unique<controller::Controller>(reactor, shard_clients, pool, settings);
    auto server = controller::HttpEndpoints::listen(reactor.shard(0).executor(), "127.0.0.1:0");
    if (!server)
      throw std::runtime_error("metrics listener: " + server.error().message());
    endpoints = std::move(*server);
    metrics_port = endpoints->port();
    endpoints->handle_metrics("/metrics", [c = controller.get()] { return c->metrics_scrape(); });
    reactor.spawn_service(
        reactor.shard(0),
        [e = endpoints.get()]() -> boost::asio::awaitable<void> { co_await e->run(); });
    if (http01) {
      controller->http01().attach(*http01);
      reactor.spawn_service(
          reactor.shard(1),
          [server = http01.get()]() -> boost::asio::awaitable<void> { co_await server->run(); });
    }
    controller->start();
    reactor.start();
  }
  ~Running() {
    // The grace period runs on the fake clock: move it on, so that a task
    // waiting on that clock (an order's poll) cannot hold the shutdown forever.
    auto report = reactor.shutdown(std::chrono::seconds(5), std::chrono::seconds(5));
    while (report.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
      clock.advance(std::chrono::seconds(1));
    reactor.join();
    pool.stop();
  }

  reactor::FakeClock& clock;
  reactor::Reactor reactor;
  reactor::WorkerPool pool;
  std::vector<std::unique_ptr<k8s::Client>> clients;
  std::unique_ptr<controller::Controller> controller;
  std::unique_ptr<controller::HttpEndpoints> endpoints;
  std::unique_ptr<reactor::HttpServer> http01;
  unsigned short metrics_port = 0;
};

ControllerHarness::ControllerHarness(controller::ControllerConfig config, bool start_now,
                                     std::string http01_address, CrdRules crd_rules)
    : config_(std::move(config)),
      http01_address_(std::move(http01_address)),
      clock_(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) {
  LogTap::get();
  apply_crds(sim_, crd_rules);
  if (start_now)
    start();
}

ControllerHarness::~ControllerHarness() {
  // Secrets stay secret: nothing the cluster's Secrets hold is in a log line
  // (at debug level), an Event or a status, whatever the test did.
  if (auto secrets = get("/api/v1/secrets")) {
    const auto found =
        exposures(cluster_texts(*this, LogTap::get().lines()), secret_material(*secrets));
    for (const std::string& where : found)
      UNSCOPED_INFO("secret material in " << where);
    CHECK(found.empty());
  }
  LogTap::get().clear();
}

void ControllerHarness::start() {
  running_ = std::make_unique<Running>(*this);
  if (!eventually([&] { return running_->controller->synced(); }))
    throw std::runtime_error("the controller's caches did not sync");
}

controller::Controller& ControllerHarness::controller() {
  return *running_->controller;
}

unsigned short ControllerHarness::metrics_port() const {
  return running_->metrics_port;
}

void ControllerHarness::stop() {
  running_.reset();
}

HttpResponse ControllerHarness::send(const std::string& method, const std::string& path,
                                     std::string body, std::string content_type) {
  return request(sim_, method, path, std::move(body), std::move(content_type));
}

void ControllerHarness::apply(const std::string& yaml) {
  for (const std::string& doc : yaml_documents(yaml)) {
    const std::string kind = yaml_field(doc, "kind", 0);
    const std::string ns = yaml_field(doc, "namespace", 2);
    auto r = send("POST", collection_path(kind, ns), doc, "application/yaml");
    if (r.status != 201)
      throw std::runtime_error("creating a " + kind + ": " + std::to_string(r.status) + " " +
                               r.body);
  }
}

std::optional<boost::json::value> ControllerHarness::get(const std::string& path) {
  auto r = send("GET", path);
  if (r.status == 404)
    return std::nullopt;
  if (r.status != 200)
    throw std::runtime_error("GET " + path + ": " + std::to_string(r.status) + " " + r.body);
  return boost::json::parse(r.body);
}

std::string ControllerHarness::condition(const std::string& path, const std::string& type,
                                         std::string* reason, std::string* message) {
  auto object = get(path);
  if (!object)
    return "";
  const boost::json::value* conditions = find(*object, {"status", "conditions"});
  if (!conditions || !conditions->is_array())
    return "";
  for (const auto& c : conditions->as_array()) {
    if (json_string(find(c, {"type"})) != type)
      continue;
    if (reason)
      *reason = json_string(find(c, {"reason"}));
    if (message)
      *message = json_string(find(c, {"message"}));
    return json_string(find(c, {"status"}));
  }
  return "";
}

int ControllerHarness::count_condition(const std::string& path, const std::string& type,
                                       const std::string& status, const std::string& reason) {
  auto list = get(path);
  const boost::json::value* items = list ? find(*list, {"items"}) : nullptr;
  if (!items || !items->is_array())
    return 0;
  int n = 0;
  for (const auto& item : items->as_array()) {
    const boost::json::value* conditions = find(item, {"status", "conditions"});
    if (!conditions || !conditions->is_array())
      continue;
    for (const auto& c : conditions->as_array()) {
      if (json_string(find(c, {"type"})) == type && json_string(find(c, {"status"})) == status &&
          (reason.empty() || json_string(find(c, {"reason"})) == reason))
        ++n;
    }
  }
  return n;
}

std::vector<std::pair<std::string, std::string>> ControllerHarness::not_at(
    const std::string& path, const std::string& type, const std::string& status) {
  std::vector<std::pair<std::string, std::string>> found;
  auto list = get(path);
  const boost::json::value* items = list ? find(*list, {"items"}) : nullptr;
  if (!items || !items->is_array())
    return found;
  for (const auto& item : items->as_array()) {
    const boost::json::value* conditions = find(item, {"status", "conditions"});
    bool at = false;
    if (conditions && conditions->is_array())
      for (const auto& c : conditions->as_array())
        at = at ||
             (json_string(find(c, {"type"})) == type && json_string(find(c, {"status"})) == status);
    if (at)
      continue;
    const boost::json::value* object_status = find(item, {"status"});
    found.emplace_back(json_string(find(item, {"metadata", "namespace"})) + "/" +
                           json_string(find(item, {"metadata", "name"})),
                       object_status ? boost::json::serialize(*object_status) : "{}");
  }
  return found;
}

bool ControllerHarness::wait_ready(const std::string& ns, const std::string& name,
                                   const std::string& status, const std::string& reason,
                                   std::chrono::seconds bound) {
  const std::string path = collection_path("Certificate", ns) + "/" + name;
  const bool reached = eventually(
      [&] {
        std::string r;
        return condition(path, "Ready", &r) == status && (reason.empty() || r == reason);
      },
      bound);
  if (!reached) {
    // What the test will be judged on, for the person reading the failure.
    auto object = get(path);
    std::fprintf(stderr, "Certificate %s/%s never reached Ready=%s %s; it is now:\n%s\n",
                 ns.c_str(), name.c_str(), status.c_str(), reason.c_str(),
                 object ? boost::json::serialize(*object).c_str() : "(absent)");
  }
  return reached;
}

int ControllerHarness::revision(const std::string& ns, const std::string& name) {
  auto crt = get("/apis/cert-manager.io/v1/namespaces/" + ns + "/certificates/" + name);
  const boost::json::value* revision = crt ? find(*crt, {"status", "revision"}) : nullptr;
  return revision ? revision->to_number<int>() : 0;
}

bool ControllerHarness::wait_revision(const std::string& ns, const std::string& name,
                                      int revision) {
  return eventually([&] { return this->revision(ns, name) >= revision; }) && wait_ready(ns, name);
}

std::string ControllerHarness::secret_data(const std::string& ns, const std::string& name,
                                           const std::string& key) {
  auto secret = get(collection_path("Secret", ns) + "/" + name);
  if (!secret)
    return "";
  const boost::json::value* value = find(*secret, {"data", key.c_str()});
  if (!value)
    return "";
  auto decoded = base64_decode(json_string(value));
  return decoded ? *decoded : std::string();
}

std::vector<std::string> ControllerHarness::events_for(const std::string& ns,
                                                       const std::string& name) {
  std::vector<std::string> out;
  auto list = get("/api/v1/namespaces/" + ns + "/events");
  if (!list)
    return out;
  for (const auto& e : find(*list, {"items"})->as_array()) {
    if (json_string(find(e, {"involvedObject", "name"})) != name)
      continue;
    out.push_back(json_string(find(e, {"type"})) + " " + json_string(find(e, {"reason"})) + ": " +
                  json_string(find(e, {"message"})));
  }
  return out;
}

ControllerHarness::Writes ControllerHarness::writes() {
  Writes w;
  auto stats = get("/kube-sim/stats");
  for (const auto& r : find(*stats, {"requests"})->as_array()) {
    const std::string verb = json_string(find(r, {"verb"}));
    if (verb != "create" && verb != "update" && verb != "patch" && verb != "delete")
      continue;
    const long count = find(r, {"count"})->to_number<long>();
    (json_string(find(r, {"resource"})) == "events" ? w.events : w.objects) += count;
  }
  return w;
}

long ControllerHarness::writes_in(const std::string& ns) {
  auto stats = get("/kube-sim/stats");
  const auto* count = find(*stats, {"writesByNamespace", ns.c_str()});
  return count ? count->to_number<long>() : 0;
}

std::string ControllerHarness::scrape() {
  return plain_http_get(metrics_port(), "/metrics").body;
}

bool ControllerHarness::wait_settled(std::size_t certificates) {
  // certmanager_controller_sync_call_count{controller="certificates"} counts
  // reconciles: settled once every Certificate had one and the count stops
  // moving.
  const std::regex calls(
      R"(certmanager_controller_sync_call_count\{controller="certificates"\} (\d+))");
  auto count = [&]() -> unsigned long {
    const std::string text = scrape();
    std::smatch m;
    return std::regex_search(text, m, calls) ? std::stoul(m[1]) : 0;
  };
  unsigned long last = 0;
  return eventually([&] {
    const unsigned long now = count();
    if (now < certificates || now != last) {
      last = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return false;
    }
    return true;
  });
}

}  // namespace certmill::test
