// Issue #20, "Run in a real cluster": the shipped controller, started as the
// Deployment starts it, takes a 200-Certificate fleet to Ready on kube-sim.
// `kubectl apply -k deploy/` installs it; the controller runs the `certmill`
// binary with the rendered Deployment's command and args (its listen
// addresses moved to free 127.0.0.1 ports, the HTTP-01 one where Pebble
// validates), the downward API's env (POD_IP 127.0.0.1) and a kubeconfig
// holding only a `kubectl create token certmill` token, so kube-sim enforces
// deploy/'s RBAC on every call it makes; leader election is on, in
// kube-system. The fleet: 160 Certificates from a CA ClusterIssuer
// (SelfSigned -> CA Certificate in the cluster resource namespace -> CA) and
// 40 from an ACME ClusterIssuer on Pebble with HTTP-01 (ingress solver with
// ingressClassName). Watches show each Challenge got, while it existed, a
// Service and an EndpointSlice (127.0.0.1, the HTTP-01 port) in its
// namespace, owned by it; kube-sim's stats show no 403 for the controller,
// and that they would count one.
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "tests/kube_sim/client.hpp"
#include "tests/support/kube_sim.hpp"
#include "tests/support/pebble.hpp"
#include "tools/fleet/free_port.hpp"

namespace {

namespace json = boost::json;
using namespace certmill;
using Clock = std::chrono::steady_clock;

constexpr int kCaCertificates = 160;
constexpr int kAcmeCertificates = 40;
constexpr const char* kPodName = "certmill-5d8c7b9f4-x2x7q";

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tail(const std::string& text, std::size_t bytes = 3000) {
  return text.size() > bytes ? "..." + text.substr(text.size() - bytes) : text;
}

// Runs kubectl (the machine's, or $KUBECTL) with `args`, bounded; its stdout,
// and its stderr in `err`. Fails the test when it exits non-zero.
std::string kubectl(const test::ScratchDir& dir, const std::string& kubeconfig,
                    const std::vector<std::string>& args) {
  const char* binary = std::getenv("KUBECTL");
  std::string command = "HOME=" + shell_quote(dir.path("home")) + " timeout 120 " +
                        shell_quote(binary ? binary : "kubectl") +
                        " --request-timeout=60s --kubeconfig " + shell_quote(kubeconfig);
  for (const auto& a : args)
    command += " " + shell_quote(a);
  command += " 2>" + shell_quote(dir.path("kubectl.err")) + " </dev/null";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    out.append(buffer, n);
  const int status = ::pclose(pipe);
  INFO("kubectl " << args.at(0) << " " << (args.size() > 1 ? args[1] : "") << ": "
                  << read_file(dir.path("kubectl.err")) << out);
  REQUIRE(status == 0);
  return out;
}

// The status line of a plain-HTTP GET to 127.0.0.1:`port` ("" when nothing
// answers): the controller's /readyz.
std::string http_status_line(unsigned short port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  timeval bound{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
  std::string answer;
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[256];
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0)
        answer.assign(buffer, static_cast<std::size_t>(n));
    }
  }
  if (fd >= 0)
    ::close(fd);
  return answer.substr(0, answer.find("\r\n"));
}

// A GET of `target` with a bearer token.
test::HttpRequest get_request(const std::string& target, const std::string& token) {
  test::HttpRequest r;
  r.target = target;
  r.token = token;
  return r;
}

// The object at `key` of `o`, or an empty one. (One overload per type, so
// that no temporary json::value is made and returned into.)
const json::object& object_at(const json::object& o, std::string_view key) {
  static const json::object empty;
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? v->as_object() : empty;
}

const json::object& object_at(const json::value& v, std::string_view key) {
  static const json::object empty;
  return v.is_object() ? object_at(v.as_object(), key) : empty;
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

// The uid of a Challenge among `object`'s ownerReferences, "" if none.
std::string challenge_owner(const json::value& object) {
  const auto* refs = object_at(object, "metadata").if_contains("ownerReferences");
  if (refs && refs->is_array())
    for (const auto& r : refs->as_array())
      if (r.is_object() && string_at(r.as_object(), "kind") == "Challenge" &&
          string_at(r.as_object(), "apiVersion") == "acme.cert-manager.io/v1")
        return string_at(r.as_object(), "uid");
  return {};
}

std::uint64_t resource_version(const json::value& object) {
  return std::stoull(string_at(object_at(object, "metadata"), "resourceVersion"));
}

// One watch, as the admin, read on its own thread until stopped: every event.
class Watch {
 public:
  Watch(unsigned short port, const std::string& token, const std::string& path)
      : stream_(port, get_request(path + "?watch=true&allowWatchBookmarks=false", token)) {
    REQUIRE(stream_.status() == 200);
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        auto line = stream_.next(std::chrono::milliseconds(200));
        if (line && !line->empty())
          lines_.push_back(std::move(*line));
        else if (stream_.ended())
          break;
      }
    });
  }
  ~Watch() { join(); }
  // Stops reading; the events read so far, parsed.
  std::vector<json::value> events() {
    join();
    std::vector<json::value> out;
    for (const auto& l : lines_)
      out.push_back(json::parse(l));
    return out;
  }
  bool ended_early() const { return stream_.ended(); }

 private:
  void join() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  test::LineStream stream_;
  std::atomic<bool> stop_{false};
  std::vector<std::string> lines_;
  std::thread thread_;
};

// The fleet as an operator would write it: namespaces, cert-manager's
// SelfSigned -> CA bootstrap with the CA's Certificate in the cluster
// resource namespace (certmill), the ACME ClusterIssuer on Pebble, and the
// Certificates.
std::string fleet_yaml(const test::Pebble& pebble) {
  std::string y;
  auto doc = [&](const std::string& text) { y += text + "---\n"; };
  for (int i = 0; i < 4; ++i)
    doc("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-" + std::to_string(i) + "\n");
  for (int i = 0; i < 2; ++i)
    doc("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web-" + std::to_string(i) + "\n");
  doc(R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
spec:
  selfSigned: {}
)");
  doc(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: fleet-ca
  namespace: certmill
spec:
  isCA: true
  commonName: fleet-ca
  secretName: fleet-ca
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: selfsigned, kind: ClusterIssuer, group: cert-manager.io}
)");
  doc(R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: fleet-ca
spec:
  ca:
    secretName: fleet-ca
)");
  doc(R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: pebble
spec:
  acme:
    server: )" +
      pebble.directory_url + R"(
    email: fleet@example.com
    caBundle: )" +
      base64_encode(pebble.tls_certificate_pem()) + R"(
    privateKeySecretRef:
      name: pebble-account
    solvers:
    - http01:
        ingress:
          ingressClassName: nginx
)");
  for (int i = 0; i < kCaCertificates; ++i) {
    const std::string ns = "team-" + std::to_string(i % 4);
    const std::string name = "svc-" + std::to_string(i);
    doc("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: " + name +
        "\n  namespace: " + ns + "\nspec:\n  secretName: " + name + "-tls\n  dnsNames: [" + name +
        "." + ns +
        ".svc.cluster.local]\n  privateKey: {algorithm: ECDSA, size: 256}\n  issuerRef: {name: "
        "fleet-ca, kind: ClusterIssuer, group: cert-manager.io}\n");
  }
  for (int i = 0; i < kAcmeCertificates; ++i) {
    const std::string ns = "web-" + std::to_string(i % 2);
    const std::string name = "site-" + std::to_string(i);
    doc("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: " + name +
        "\n  namespace: " + ns + "\nspec:\n  secretName: " + name + "-tls\n  dnsNames: [" + name +
        "." + ns +
        ".example.com]\n  privateKey: {algorithm: ECDSA, size: 256}\n  issuerRef: "
        "{name: pebble, kind: ClusterIssuer, group: cert-manager.io}\n");
  }
  return y;
}

// kube-sim's counts of requests, from /kube-sim/stats.
json::array request_counts(const test::KubeSim& sim) {
  const auto stats = test::send(sim.port, get_request("/kube-sim/stats", sim.token));
  REQUIRE(stats.status == 200);
  return json::parse(stats.body).at("requests").as_array();
}

// How many answers had `code`.
long answers_with(const test::KubeSim& sim, int code) {
  long n = 0;
  for (const auto& r : request_counts(sim))
    if (r.at("code").to_number<int>() == code)
      n += r.at("count").to_number<long>();
  return n;
}

// Successful writes (create, update, patch, delete) by verb and resource,
// for the log: what the controller spent its --kube-api-qps on.
void print_writes(const test::KubeSim& sim, int certificates) {
  long total = 0;
  std::string lines;
  for (const auto& r : request_counts(sim)) {
    const std::string verb(r.at("verb").as_string());
    const long n = r.at("count").to_number<long>();
    if ((verb == "create" || verb == "update" || verb == "patch" || verb == "delete") &&
        r.at("code").to_number<int>() < 400) {
      total += n;
      lines += "  " + verb + " " + std::string(r.at("resource").as_string()) + ": " +
               std::to_string(n) + "\n";
    }
  }
  std::printf("API writes (the test's own setup included): %ld, %.1f per Certificate\n%s", total,
              static_cast<double>(total) / certificates, lines.c_str());
}

}  // namespace

TEST_CASE("the Deployment as applied, with its ServiceAccount token, issues 200 Certificates",
          "[deploy][fleet]") {
  const auto test_start = Clock::now();
  test::ScratchDir dir;
  test::KubeSim sim;
  const std::string deploy = std::string(CERTMILL_SOURCE_DIR) + "/deploy";

  // The install, as README.md's "Install in a cluster" says.
  kubectl(dir, sim.kubeconfig,
          {"apply", "-f",
           std::string(CERTMILL_SOURCE_DIR) + "/tests/deploy/prometheus-operator-crds.yaml"});
  kubectl(dir, sim.kubeconfig, {"apply", "-k", deploy});
  std::string token =
      kubectl(dir, sim.kubeconfig, {"create", "token", "certmill", "-n", "certmill"});
  token = token.substr(0, token.find('\n'));
  REQUIRE(!token.empty());
  std::string sa_kubeconfig;
  {
    std::istringstream admin(read_file(sim.kubeconfig));
    std::string line;
    int tokens = 0;
    while (std::getline(admin, line)) {
      if (const auto at = line.find("token: "); at != std::string::npos) {
        line = line.substr(0, at) + "token: " + token;
        ++tokens;
      }
      sa_kubeconfig += line + "\n";
    }
    REQUIRE(tokens == 1);
  }
  const std::string sa_kubeconfig_path = dir.write("certmill.kubeconfig", sa_kubeconfig);

  // The controller's command, args and env, from the Deployment as applied.
  const auto deployment = test::send(
      sim.port, get_request("/apis/apps/v1/namespaces/certmill/deployments/certmill", sim.token));
  REQUIRE(deployment.status == 200);
  const json::value manifest = json::parse(deployment.body);
  const json::object* container = nullptr;
  for (const auto& c : object_at(object_at(object_at(manifest, "spec"), "template"), "spec")
                           .at("containers")
                           .as_array())
    if (string_at(c.as_object(), "name") == "controller")
      container = &c.as_object();
  REQUIRE(container != nullptr);
  // The downward API's values, as the kubelet would give this pod.
  const std::map<std::string, std::string> field_values = {{"status.podIP", "127.0.0.1"},
                                                           {"metadata.name", kPodName},
                                                           {"metadata.namespace", "certmill"}};
  std::map<std::string, std::string> env;
  for (const auto& e : container->at("env").as_array()) {
    const auto& ref = object_at(object_at(e, "valueFrom"), "fieldRef");
    INFO("env " << json::serialize(e));
    REQUIRE(field_values.contains(string_at(ref, "fieldPath")));
    env[string_at(e.as_object(), "name")] = field_values.at(string_at(ref, "fieldPath"));
  }
  REQUIRE(env.contains("POD_IP"));
  REQUIRE(env.contains("POD_NAMESPACE"));

  test::PebbleOptions pebble_options;
  pebble_options.resolve_to_loopback = true;
  test::Pebble pebble(pebble_options);
  const unsigned short metrics_port = fleet::free_port();
  const unsigned short healthz_port = fleet::free_port();
  const std::map<std::string, std::string> listen = {
      {"--metrics-listen-address", "127.0.0.1:" + std::to_string(metrics_port)},
      {"--healthz-listen-address", "127.0.0.1:" + std::to_string(healthz_port)},
      // Pebble validates HTTP-01 on its httpPort: the pod's http01 port.
      {"--http01-listen-address", "127.0.0.1:" + std::to_string(pebble.http_port)}};

  std::vector<std::string> argv = {"/usr/bin/env", "-i", "KUBECONFIG=" + sa_kubeconfig_path};
  for (const auto& [name, value] : env)
    argv.push_back(name + "=" + value);
  const auto& command = container->at("command").as_array();
  REQUIRE(command.size() == 2);
  REQUIRE(command[0].as_string() == "/certmill");
  argv.push_back(CERTMILL_BINARY);
  argv.push_back(std::string(command[1].as_string()));
  std::set<std::string> moved;
  for (const auto& a : container->at("args").as_array()) {
    std::string arg(a.as_string());
    // $(VAR) as the kubelet expands it from the container's env.
    for (const auto& [name, value] : env)
      for (auto at = arg.find("$(" + name + ")"); at != std::string::npos;
           at = arg.find("$(" + name + ")"))
        arg.replace(at, name.size() + 3, value);
    REQUIRE(arg.find("$(") == std::string::npos);
    const std::string flag = arg.substr(0, arg.find('='));
    if (listen.contains(flag)) {
      arg = flag + "=" + listen.at(flag);
      moved.insert(flag);
    }
    argv.push_back(arg);
  }
  REQUIRE(moved.size() == listen.size());
  // The HTTP-01 self-check asks what Pebble asks: pebble-challtestsrv's
  // names (all 127.0.0.1) on Pebble's HTTP-01 port.
  argv.push_back("--acme-http01-solver-nameservers=127.0.0.1:" + std::to_string(pebble.dns_port));
  argv.push_back("--acme-http01-self-check-port=" + std::to_string(pebble.http_port));
  std::string shown;
  std::string command_line = "exec";
  for (std::size_t i = 3; i < argv.size(); ++i)
    shown += argv[i] + " ";
  for (const auto& a : argv)
    command_line += " " + shell_quote(a);
  command_line += " >" + shell_quote(dir.path("certmill.log")) + " 2>&1";
  std::printf("controller: %s\n", shown.c_str());

  // Watches first, so that no Challenge, Service or EndpointSlice is missed.
  Watch challenges(sim.port, sim.token, "/apis/acme.cert-manager.io/v1/challenges");
  Watch services(sim.port, sim.token, "/api/v1/services");
  Watch slices(sim.port, sim.token, "/apis/discovery.k8s.io/v1/endpointslices");

  kubectl(dir, sim.kubeconfig, {"create", "-f", dir.write("fleet.yaml", fleet_yaml(pebble))});
  const int expected = kCaCertificates + kAcmeCertificates + 1;  // and the CA's own

  const auto controller_start = Clock::now();
  fleet::ChildProcess controller({"/bin/sh", "-c", command_line}, false);
  auto log = [&] { return tail(read_file(dir.path("certmill.log"))); };
  int ready = 0;
  // About 2 minutes on 2 cores: the default --kube-api-qps (20 writes a
  // second, cert-manager's) sets the pace, not the CPU. The bound leaves room
  // for the sanitizer build's slower controller and Pebble on a loaded machine.
  const auto give_up = controller_start + std::chrono::seconds(300);
  auto next_report = controller_start;
  while (ready < expected) {
    INFO("controller log:\n" << log() << "\nPebble log:\n" << tail(pebble.log()));
    REQUIRE(::waitpid(controller.pid(), nullptr, WNOHANG) == 0);
    REQUIRE(Clock::now() < give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto list =
        test::send(sim.port, get_request("/apis/cert-manager.io/v1/certificates", sim.token));
    REQUIRE(list.status == 200);
    ready = 0;
    const json::value items = json::parse(list.body);
    for (const auto& c : items.at("items").as_array())
      if (const auto* conditions = object_at(c, "status").if_contains("conditions"))
        for (const auto& k : conditions->as_array())
          if (string_at(k.as_object(), "type") == "Ready" &&
              string_at(k.as_object(), "status") == "True")
            ++ready;
    if (Clock::now() >= next_report) {
      std::printf("  %d/%d Ready after %.1f s\n", ready, expected,
                  std::chrono::duration<double>(Clock::now() - controller_start).count());
      next_report += std::chrono::seconds(10);
    }
  }
  const double to_ready = std::chrono::duration<double>(Clock::now() - controller_start).count();
  std::printf("all %d Certificates Ready %.1f s after the controller started\n", expected,
              to_ready);
  INFO("controller log:\n" << log());
  print_writes(sim, expected);

  // It led through the Lease in kube-system, and its /readyz says so.
  const auto lease = test::send(
      sim.port,
      get_request(
          "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cert-manager-controller",
          sim.token));
  REQUIRE(lease.status == 200);
  CHECK_FALSE(string_at(object_at(json::parse(lease.body), "spec"), "holderIdentity").empty());
  CHECK(http_status_line(healthz_port, "/readyz").find(" 200") != std::string::npos);

  // Each Challenge had, before it was deleted, a Service and an EndpointSlice
  // naming 127.0.0.1 and the HTTP-01 port in its namespace, owned by it.
  // kube-sim's resourceVersion is global, so it orders events of any kind.
  CHECK_FALSE(challenges.ended_early());
  struct Seen {
    std::string ns, name;
    std::uint64_t deleted = 0;  // resourceVersion of its DELETED event
  };
  std::map<std::string, Seen> by_uid;
  for (const auto& e : challenges.events()) {
    const auto& md = object_at(object_at(e, "object"), "metadata");
    auto& seen = by_uid[string_at(md, "uid")];
    seen.ns = string_at(md, "namespace");
    seen.name = string_at(md, "name");
    if (e.at("type").as_string() == "DELETED")
      seen.deleted = resource_version(e.at("object"));
  }
  std::printf("%zu Challenges seen\n", by_uid.size());
  CHECK(by_uid.size() >= static_cast<std::size_t>(kAcmeCertificates));
  std::map<std::string, std::pair<std::string, std::uint64_t>> service_of;  // uid -> ns, rv
  for (const auto& e : services.events())
    if (e.at("type").as_string() == "ADDED")
      if (const auto uid = challenge_owner(e.at("object")); !uid.empty())
        service_of.emplace(uid,
                           std::pair{string_at(object_at(e.at("object"), "metadata"), "namespace"),
                                     resource_version(e.at("object"))});
  std::map<std::string, std::pair<std::string, std::uint64_t>> slice_of;
  for (const auto& e : slices.events()) {
    const auto& slice = e.at("object");
    const auto uid = challenge_owner(slice);
    if (uid.empty() || e.at("type").as_string() == "DELETED" || slice_of.contains(uid))
      continue;
    bool address = false;
    bool port = false;
    for (const auto& ep : slice.as_object().at("endpoints").as_array())
      for (const auto& a : ep.as_object().at("addresses").as_array())
        address = address || a.as_string() == "127.0.0.1";
    for (const auto& p : slice.as_object().at("ports").as_array())
      port = port || p.as_object().at("port").to_number<int>() == pebble.http_port;
    if (address && port)
      slice_of.emplace(uid, std::pair{string_at(object_at(slice, "metadata"), "namespace"),
                                      resource_version(slice)});
  }
  for (const auto& [uid, seen] : by_uid) {
    INFO("Challenge " << seen.ns << "/" << seen.name);
    REQUIRE(service_of.contains(uid));
    REQUIRE(slice_of.contains(uid));
    CHECK(service_of.at(uid).first == seen.ns);
    CHECK(slice_of.at(uid).first == seen.ns);
    if (seen.deleted) {
      CHECK(service_of.at(uid).second < seen.deleted);
      CHECK(slice_of.at(uid).second < seen.deleted);
    }
  }

  // No call of the controller was forbidden; one made with its token is
  // counted, so the zero above means something.
  const long forbidden = answers_with(sim, 403);
  CHECK(forbidden == 0);
  CHECK(answers_with(sim, 401) == 0);
  CHECK(read_file(dir.path("certmill.log")).find("orbidden") == std::string::npos);
  const auto denied =
      test::send(sim.port, get_request("/apis/rbac.authorization.k8s.io/v1/clusterroles", token));
  CHECK(denied.status == 403);
  CHECK(answers_with(sim, 403) == forbidden + 1);

  CHECK(controller.stop(std::chrono::seconds(45)) == 0);
  std::printf("test ran %.1f s\n",
              std::chrono::duration<double>(Clock::now() - test_start).count());
}
