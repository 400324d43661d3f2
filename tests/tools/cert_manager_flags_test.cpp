// cert-manager's controller flags and ControllerConfiguration file on
// certmill's FlagSet: the chart's arguments parse, Go's syntax works, the
// file sets what the flags set and the command line wins over it, and every
// kind of bad input is one line naming the flag, or the file and the field.
#include "tools/certmill/cert_manager_flags.hpp"

#include <catch2/catch.hpp>

#include "tools/certmill/cert_manager_controllers.hpp"
#include "tools/certmill/controller_config_file.hpp"

using namespace certmill;
using namespace certmill::cmd;
using namespace std::chrono_literals;

namespace {

// The flags certmill's controller command had before, with its defaults,
// and cert-manager's added on top, as controller_command.cpp does.
struct Controller {
  std::string kubeconfig;
  std::string namespace_;
  std::string cluster_resource_namespace = "kube-system";
  std::string leader_election_namespace = "kube-system";
  Duration lease = 60s;
  bool leader_elect = true;
  bool gateway_api = false;
  double qps = 20;
  double burst = 50;
  std::string metrics = "0.0.0.0:9402";
  std::string healthz = ":9403";
  std::string default_issuer_name;
  std::string default_issuer_kind = "Issuer";
  std::string default_issuer_group = "cert-manager.io";
  Duration renew_deadline = 40s;
  Duration retry_period = 15s;
  std::string nameservers;
  std::string log_format = "text";
  CertManagerFlags cm;
  cli::FlagSet flags{"certmill controller", "Runs the controller."};

  Controller() {
    flags.add("kubeconfig", &kubeconfig, "");
    flags.add("namespace", &namespace_, "");
    flags.add("cluster-resource-namespace", &cluster_resource_namespace, "");
    flags.add("leader-election-namespace", &leader_election_namespace, "");
    flags.add("leader-election-lease-duration", &lease, "");
    flags.add("leader-elect", &leader_elect, "");
    flags.add("enable-gateway-api", &gateway_api, "");
    flags.add("kube-api-qps", &qps, "");
    flags.add("kube-api-burst", &burst, "");
    flags.add("metrics-listen-address", &metrics, "");
    flags.add("healthz-listen-address", &healthz, "");
    flags.add("default-issuer-name", &default_issuer_name, "");
    flags.add("default-issuer-kind", &default_issuer_kind, "");
    flags.add("default-issuer-group", &default_issuer_group, "");
    flags.add("leader-election-renew-deadline", &renew_deadline, "");
    flags.add("leader-election-retry-period", &retry_period, "");
    flags.add("acme-http01-solver-nameservers", &nameservers, "");
    flags.add_choice("log-format", &log_format, {"text", "json"}, "");
    add_cert_manager_flags(flags, cm, &log_format, &healthz);
  }
  Status parse(std::vector<std::string> args) {
    start_command_line(cm);
    auto parsed = flags.parse(args);
    return parsed ? Status{} : Status{parsed.error()};
  }
  Status file(std::string_view yaml) {
    return apply_config_file(yaml, "/etc/cm/config.yaml", flags);
  }
};

constexpr std::string_view kHeader =
    "apiVersion: controller.config.cert-manager.io/v1alpha1\nkind: ControllerConfiguration\n";

std::string config(std::string_view body) {
  return std::string(kHeader) + std::string(body);
}

}  // namespace

TEST_CASE("the arguments cert-manager's chart v1.21 renders by default parse") {
  // deploy/charts/cert-manager/templates/deployment.yaml with the chart's
  // default values; kubelet expands $(POD_NAMESPACE).
  Controller c;
  REQUIRE(c.parse({"--v=2", "--cluster-resource-namespace=cert-manager",
                   "--leader-election-namespace=kube-system",
                   "--acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.21.0",
                   "--max-concurrent-challenges=60"})
              .ok());
  CHECK(c.cm.verbosity == 2);
  CHECK(c.cluster_resource_namespace == "cert-manager");
  CHECK(c.cm.max_concurrent_challenges == 60);
  CHECK(c.cm.ignored == std::vector<std::string>{"acme-http01-solver-image"});
  CHECK(ignored_flags_text(c.cm, {}) ==
        "--acme-http01-solver-image (certmill answers HTTP-01 itself: no solver pods)");
}

TEST_CASE("every flag of cert-manager v1.21's controller is accepted") {
  // cmd/controller/app/options AddConfigFlags, the logging flags and --config,
  // each with a value of its kind.
  const std::vector<std::string> every = {
      "--master=https://10.0.0.1",
      "--kubeconfig=/k",
      "--kube-api-qps=9000",
      "--kube-api-burst=9000",
      "--cluster-resource-namespace=cert-manager",
      "--namespace=",
      "--leader-elect=true",
      "--leader-election-namespace=kube-system",
      "--leader-election-lease-duration=60s",
      "--leader-election-renew-deadline=40s",
      "--leader-election-retry-period=15s",
      "--controllers=*",
      "--acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.21.0",
      "--acme-http01-solver-resource-request-cpu=10m",
      "--acme-http01-solver-resource-request-memory=64Mi",
      "--acme-http01-solver-resource-limits-cpu=100m",
      "--acme-http01-solver-resource-limits-memory=64Mi",
      "--acme-http01-solver-run-as-non-root=true",
      "--acme-http01-solver-runtime-class-name=gvisor",
      "--acme-http01-solver-nameservers=8.8.8.8:53",
      "--cluster-issuer-ambient-credentials=true",
      "--issuer-ambient-credentials=false",
      "--auto-certificate-annotations=kubernetes.io/tls-acme",
      "--extra-certificate-annotations=",
      "--default-issuer-name=letsencrypt",
      "--default-issuer-kind=ClusterIssuer",
      "--default-issuer-group=cert-manager.io",
      "--dns01-recursive-nameservers=8.8.8.8:53,1.1.1.1:53",
      "--dns01-recursive-nameservers-only=false",
      "--dns01-check-retry-period=10s",
      "--enable-certificate-owner-ref=false",
      "--enable-gateway-api=false",
      "--copied-annotation-prefixes=*,-kubectl.kubernetes.io/,-fluxcd.io/,-argocd.argoproj.io/",
      "--feature-gates=AdditionalCertificateOutputFormats=true",
      "--concurrent-workers=5",
      "--max-concurrent-challenges=60",
      "--metrics-listen-address=0.0.0.0:9402",
      "--enable-profiling=false",
      "--profiler-address=localhost:6060",
      "--metrics-tls-cert-file=/tls/tls.crt",
      "--metrics-tls-private-key-file=/tls/tls.key",
      "--metrics-dynamic-serving-leaf-duration=168h",
      "--metrics-dynamic-serving-ca-secret-namespace=cert-manager",
      "--metrics-dynamic-serving-ca-secret-name=cert-manager-metrics-ca",
      "--metrics-dynamic-serving-dns-names=cert-manager-metrics",
      "--metrics-tls-cipher-suites=TLS_AES_128_GCM_SHA256",
      "--metrics-tls-min-version=VersionTLS12",
      "--internal-healthz-listen-address=0.0.0.0:9403",
      "--internal-healthz-leader-election-timeout=20s",
      "--v=2",
      "--vmodule=controller*=4",
      "--logging-format=text",
      "--log-flush-frequency=5s",
      "--log-json-info-buffer-size=0",
      "--log-json-split-stream=false",
      "--log-text-info-buffer-size=0",
      "--log-text-split-stream=false",
      "--config=",
  };
  Controller c;
  const Status parsed = c.parse(every);
  INFO((parsed ? std::string() : parsed.error().message()));
  CHECK(parsed.ok());
}

TEST_CASE("nothing is reported ignored when no ignored flag is given") {
  Controller c;
  REQUIRE(c.parse({"--v=2", "--max-concurrent-challenges=5"}).ok());
  CHECK(c.cm.ignored.empty());
  CHECK(ignored_flags_text(c.cm, {}).empty());
  // The same list sees what it is given.
  REQUIRE(c.parse({"--metrics-tls-min-version=VersionTLS12", "--concurrent-workers=9",
                   "--metrics-tls-min-version", "VersionTLS13", "--enable-profiling"})
              .ok());
  CHECK(c.cm.ignored == std::vector<std::string>{"metrics-tls-min-version", "concurrent-workers",
                                                 "enable-profiling"});
  CHECK(ignored_flags_text(c.cm, {"--controllers=-x (why)"}) ==
        "--metrics-tls-min-version (/metrics is served over plain HTTP); "
        "--concurrent-workers (certmill's concurrency is --shards and "
        "--max-concurrent-issuances); --enable-profiling (certmill has no Go profiler); "
        "--controllers=-x (why)");
}

TEST_CASE("the owner-ref and annotation flags are acted on, never reported ignored") {
  Controller c;
  REQUIRE(c.parse({"--enable-certificate-owner-ref", "--copied-annotation-prefixes=team/",
                   "--auto-certificate-annotations=example.com/tls",
                   "--extra-certificate-annotations=example.com/team"})
              .ok());
  CHECK(c.cm.enable_certificate_owner_ref);
  CHECK(c.cm.copied_annotation_prefixes.items == std::vector<std::string>{"team/"});
  CHECK(c.cm.auto_certificate_annotations.items == std::vector<std::string>{"example.com/tls"});
  CHECK(c.cm.extra_certificate_annotations.items == std::vector<std::string>{"example.com/team"});
  CHECK(c.cm.ignored.empty());
  CHECK(ignored_flags_text(c.cm, {}).empty());
}

TEST_CASE("Go's flag syntax: booleans, lists, gates, durations, one dash") {
  Controller c;
  REQUIRE(c.parse({"--enable-certificate-owner-ref", "--issuer-ambient-credentials=True",
                   "-cluster-issuer-ambient-credentials=f", "--enable-gateway-api=t",
                   "--controllers=*,-certificaterequests-approver",
                   "--extra-certificate-annotations=a.example/x, b.example/y",
                   "--extra-certificate-annotations", "c.example/z",
                   "--feature-gates=ExperimentalGatewayAPISupport=true,ServerSideApply=false",
                   "--feature-gates=AllBeta=true", "--leader-election-lease-duration=2m0s",
                   "--logging-format=json", "--internal-healthz-listen-address=0.0.0.0:9403"})
              .ok());
  CHECK(c.cm.enable_certificate_owner_ref);
  CHECK(c.cm.issuer_ambient_credentials);
  CHECK_FALSE(c.cm.cluster_issuer_ambient_credentials);
  CHECK(c.gateway_api);
  CHECK(c.cm.controllers.items == std::vector<std::string>{"*", "-certificaterequests-approver"});
  CHECK(c.cm.extra_certificate_annotations.items ==
        std::vector<std::string>{"a.example/x", "b.example/y", "c.example/z"});
  CHECK(c.cm.feature_gates == FeatureGates{{"AllBeta", true},
                                           {"ExperimentalGatewayAPISupport", true},
                                           {"ServerSideApply", false}});
  CHECK(c.lease == 120s);
  CHECK(c.log_format == "json");
  CHECK(c.healthz == "0.0.0.0:9403");
  // Bare ignored booleans take no value from the next argument.
  Controller d;
  REQUIRE(d.parse({"--acme-http01-solver-run-as-non-root", "--v", "4"}).ok());
  CHECK(d.cm.verbosity == 4);
  CHECK(d.cm.ignored == std::vector<std::string>{"acme-http01-solver-run-as-non-root"});
}

TEST_CASE("the DNS-01 flags are acted on, never reported ignored") {
  Controller c;
  REQUIRE(c.cm.dns01_check_retry_period == 10s);
  REQUIRE(c.parse({"--dns01-recursive-nameservers=10.0.0.53:53, 10.0.0.54",
                   "--dns01-recursive-nameservers", "[2001:db8::53]:5353",
                   "--dns01-recursive-nameservers-only", "--dns01-check-retry-period=3s"})
              .ok());
  CHECK(c.cm.dns01_recursive_nameservers.items ==
        std::vector<std::string>{"10.0.0.53:53", "10.0.0.54", "[2001:db8::53]:5353"});
  CHECK(c.cm.dns01_recursive_nameservers_only);
  CHECK(c.cm.dns01_check_retry_period == 3s);
  CHECK(c.cm.ignored.empty());
}

TEST_CASE("bad flag values are errors that name the flag") {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Row> rows = {
      {{"--v=loud"}, "--v: \"loud\" is not a log level (0 or more)"},
      {{"--v=-1"}, "--v: \"-1\" is not a log level (0 or more)"},
      {{"--logging-format=xml"}, "--logging-format: \"xml\" is not one of text, json"},
      {{"--max-concurrent-challenges=many"},
       "--max-concurrent-challenges: \"many\" is not a whole number"},
      {{"--enable-certificate-owner-ref=yes"},
       "--enable-certificate-owner-ref: \"yes\" is not true or false"},
      {{"--controllers=*,-approver"}, "--controllers: unknown controller \"approver\"; known"},
      {{"--feature-gates=Nope=true"}, "--feature-gates: unrecognized feature gate \"Nope\"; known"},
      {{"--feature-gates=ServerSideApply"},
       "--feature-gates: missing bool value for feature gate \"ServerSideApply\""},
      {{"--feature-gates=ServerSideApply=maybe"},
       "--feature-gates: invalid value of feature gate ServerSideApply=maybe"},
      {{"--dns01-recursive-nameservers=https://1.1.1.1/dns-query"},
       "--dns01-recursive-nameservers: \"https://1.1.1.1/dns-query\": certmill asks nameservers "
       "over DNS (IP:port), not DNS over HTTPS"},
      {{"--dns01-recursive-nameservers=8.8.8.8:53,dns.example:53"},
       "--dns01-recursive-nameservers: "},
      {{"--dns01-check-retry-period=soon"}, "--dns01-check-retry-period: "},
      {{"--max-concurent-challenges=5"},
       "unknown flag --max-concurent-challenges for 'certmill controller' (did you mean "
       "--max-concurrent-challenges?)"},
  };
  for (const Row& row : rows) {
    Controller c;
    CAPTURE(row.args);
    Status s = c.parse(row.args);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message(), Catch::StartsWith(row.message));
    CHECK(s.error().message().find('\n') == std::string::npos);
  }
}

TEST_CASE("klog's --v maps to certmill's log level as cert-manager's levels") {
  const std::vector<std::string> want = {"error", "warn",  "info", "info",
                                         "debug", "debug", "debug"};
  for (int v = 0; v < 7; ++v)
    CHECK(log_level_for_verbosity(v) == want[static_cast<std::size_t>(v)]);
}

TEST_CASE("the --controllers list follows cert-manager's list rules") {
  const auto has = [](const std::set<std::string>& s, const char* n) { return s.contains(n); };
  const auto all = enabled_controllers({"*"}, false, false);
  CHECK(all.size() == 18);  // the on-by-default ones: no gateway-shim, no CSR controllers
  CHECK(has(all, "certificaterequests-approver"));
  CHECK_FALSE(has(all, "gateway-shim"));
  CHECK(has(enabled_controllers({"*"}, true, false), "gateway-shim"));
  // Only removals imply "*".
  const auto minus = enabled_controllers({"-certificaterequests-approver"}, false, false);
  CHECK(minus.size() == 17);
  CHECK_FALSE(has(minus, "certificaterequests-approver"));
  // Removals win over additions, whatever the order.
  CHECK(enabled_controllers({"-issuers", "issuers"}, false, false).empty());
  CHECK(enabled_controllers({"issuers", "orders"}, false, false) ==
        std::set<std::string>{"issuers", "orders"});
  // Namespaced: no cluster-scoped controllers.
  CHECK_FALSE(has(enabled_controllers({"*"}, false, true), "clusterissuers"));
  CHECK(has(enabled_controllers({"*"}, false, true), "issuers"));
  CHECK(known_controllers().size() == 24);
  for (std::string_view name : known_controllers()) {
    CHECK(check_controller_item(name).ok());
    CHECK(check_controller_item("-" + std::string(name)).ok());
  }
  CHECK(check_controller_item("*").ok());
  CHECK_FALSE(check_controller_item("-*x").ok());
}

TEST_CASE("what certmill honours of --controllers and --feature-gates") {
  const ControllerChoice plain = choose_controllers({"*"}, {}, false, false);
  CHECK(plain.approve_requests);
  CHECK_FALSE(plain.gateway_shim);
  CHECK(plain.not_honoured.empty());

  const ControllerChoice off =
      choose_controllers({"*", "-certificaterequests-approver"}, {}, true, false);
  CHECK_FALSE(off.approve_requests);
  CHECK(off.gateway_shim);
  CHECK(off.not_honoured.empty());

  // The gate turns gateway-shim off with --enable-gateway-api on, as in cert-manager.
  CHECK_FALSE(choose_controllers({"*"}, {{"ExperimentalGatewayAPISupport", false}}, true, false)
                  .gateway_shim);
  CHECK_FALSE(choose_controllers({"*", "-gateway-shim"}, {}, true, false).gateway_shim);

  const ControllerChoice odd = choose_controllers(
      {"*", "-ingress-shim", "certificatesigningrequests-issuer-ca"},
      {{"ServerSideApply", true}, {"SecretsFilteredCaching", true}}, false, false);
  CHECK(odd.not_honoured ==
        std::vector<std::string>{
            "--controllers=-ingress-shim (certmill runs it as part of its one reconcile)",
            "--controllers=certificatesigningrequests-issuer-ca (certmill signs no Kubernetes "
            "CertificateSigningRequests)",
            "--feature-gates=ServerSideApply=true (certmill behaves as the gate's default)"});
}

TEST_CASE("feature gates: as set, else AllAlpha or AllBeta, else the default") {
  CHECK(feature_enabled({}, "ExperimentalGatewayAPISupport"));
  CHECK_FALSE(feature_enabled({}, "ServerSideApply"));
  CHECK(feature_enabled({{"AllAlpha", true}}, "ServerSideApply"));
  CHECK_FALSE(feature_enabled({{"AllBeta", true}}, "ServerSideApply"));
  CHECK_FALSE(feature_enabled({{"AllAlpha", true}, {"ServerSideApply", false}}, "ServerSideApply"));
  CHECK_FALSE(feature_enabled({}, "NoSuchGate"));
  for (const FeatureGate& gate : known_feature_gates()) {
    FeatureGates gates;
    REQUIRE(merge_feature_gates(std::string(gate.name) + "=" + (gate.default_on ? "false" : "true"),
                                gates)
                .ok());
    CHECK(feature_enabled(gates, gate.name) != gate.default_on);
  }
}

TEST_CASE("a ControllerConfiguration file sets what the flags set") {
  Controller c;
  REQUIRE(c.file(config(R"(kubeConfig: /etc/kubeconfig
kubernetesAPIQPS: 9000
kubernetesAPIBurst: 9001
namespace: team-a
clusterResourceNamespace: cert-manager
leaderElectionConfig:
  enabled: false
  namespace: cert-manager
  leaseDuration: 90000000000
  healthzTimeout: 20s
controllers: ["*", "-certificaterequests-approver"]
enableGatewayAPI: true
enableCertificateOwnerRef: true
issuerAmbientCredentials: true
clusterIssuerAmbientCredentials: false
copiedAnnotationPrefixes: ["*"]
maxConcurrentChallenges: 7
metricsListenAddress: 127.0.0.1:9999
healthzListenAddress: 127.0.0.1:9998
metricsTLSConfig:
  dynamic:
    secretNamespace: cert-manager
    dnsNames: [cert-manager-metrics]
logging:
  format: json
  verbosity: 5
featureGates:
  ExperimentalGatewayAPISupport: true
  ServerSideApply: false
ingressShimConfig:
  defaultIssuerName: letsencrypt
  extraCertificateAnnotations: [example.com/team]
acmeHTTP01Config:
  solverImage: quay.io/jetstack/cert-manager-acmesolver:v1.21.0
  solverNameservers: ["10.0.0.10:53"]
)"))
              .ok());
  CHECK(c.kubeconfig == "/etc/kubeconfig");
  CHECK(c.qps == 9000);
  CHECK(c.burst == 9001);
  CHECK(c.namespace_ == "team-a");
  CHECK(c.cluster_resource_namespace == "cert-manager");
  CHECK_FALSE(c.leader_elect);
  CHECK(c.leader_election_namespace == "cert-manager");
  CHECK(c.lease == 90s);
  CHECK(c.cm.controllers.items == std::vector<std::string>{"*", "-certificaterequests-approver"});
  CHECK(c.gateway_api);
  CHECK(c.cm.enable_certificate_owner_ref);
  CHECK(c.cm.issuer_ambient_credentials);
  CHECK_FALSE(c.cm.cluster_issuer_ambient_credentials);
  CHECK(c.cm.copied_annotation_prefixes.items == std::vector<std::string>{"*"});
  CHECK(c.cm.max_concurrent_challenges == 7);
  CHECK(c.metrics == "127.0.0.1:9999");
  CHECK(c.healthz == "127.0.0.1:9998");
  CHECK(c.log_format == "json");
  CHECK(c.cm.verbosity == 5);
  CHECK(c.cm.feature_gates ==
        FeatureGates{{"ExperimentalGatewayAPISupport", true}, {"ServerSideApply", false}});
  CHECK(c.default_issuer_name == "letsencrypt");
  CHECK(c.cm.extra_certificate_annotations.items == std::vector<std::string>{"example.com/team"});
  CHECK(c.nameservers == "10.0.0.10:53");
  CHECK(c.cm.ignored == std::vector<std::string>{"internal-healthz-leader-election-timeout",
                                                 "metrics-dynamic-serving-ca-secret-namespace",
                                                 "metrics-dynamic-serving-dns-names",
                                                 "acme-http01-solver-image"});
}

TEST_CASE("flags on the command line win over the file") {
  Controller d;
  REQUIRE(d.file(config(R"(namespace: from-file
maxConcurrentChallenges: 7
controllers: ["*", "-certificaterequests-approver"]
featureGates: {ServerSideApply: true, OtherNames: true}
logging: {verbosity: 6}
ingressShimConfig: {extraCertificateAnnotations: [file.example/a]}
)"))
              .ok());
  REQUIRE(d.parse({"--namespace=from-flag", "--controllers=*", "--feature-gates=OtherNames=false",
                   "--v=1", "--extra-certificate-annotations=flag.example/b"})
              .ok());
  CHECK(d.namespace_ == "from-flag");
  CHECK(d.cm.max_concurrent_challenges == 7);  // not on the command line: the file's
  CHECK(d.cm.controllers.items == std::vector<std::string>{"*"});  // replaced, not added to
  CHECK(d.cm.extra_certificate_annotations.items == std::vector<std::string>{"flag.example/b"});
  CHECK(d.cm.feature_gates == FeatureGates{{"OtherNames", false}, {"ServerSideApply", true}});
  CHECK(d.cm.verbosity == 1);
}

TEST_CASE("a null field leaves the default, and an empty file is refused") {
  Controller c;
  REQUIRE(c.file(config("namespace: null\nleaderElectionConfig: null\n")).ok());
  CHECK(c.namespace_.empty());
  CHECK(c.leader_election_namespace == "kube-system");
  CHECK(c.file("").error().message() ==
        "--config /etc/cm/config.yaml: not a ControllerConfiguration object");
}

TEST_CASE("each bad file is one line naming the file and the field") {
  struct Row {
    std::string yaml;
    std::string message;
  };
  const std::string at = "--config /etc/cm/config.yaml: ";
  const std::vector<Row> rows = {
      {"kind: ControllerConfiguration\n",
       "apiVersion must be controller.config.cert-manager.io/v1alpha1"},
      {"apiVersion: controller.config.cert-manager.io/v1alpha2\nkind: ControllerConfiguration\n",
       "apiVersion must be controller.config.cert-manager.io/v1alpha1, not "
       "\"controller.config.cert-manager.io/v1alpha2\""},
      {"apiVersion: controller.config.cert-manager.io/v1alpha1\nkind: WebhookConfiguration\n",
       "kind must be ControllerConfiguration, not \"WebhookConfiguration\""},
      {"apiVersion: controller.config.cert-manager.io/v1alpha1\n",
       "kind must be ControllerConfiguration"},
      {"- a\n- b\n", "not a ControllerConfiguration object"},
      {"a: [\n", "not YAML: invalid YAML at line 2, column 1: end of sequence flow not found"},
      {config("maxConcurentChallenges: 5\n"), "unknown field \"maxConcurentChallenges\""},
      {config("leaderElectionConfig:\n  leaseTime: 5s\n"),
       "unknown field \"leaderElectionConfig.leaseTime\""},
      {config("leaderElectionConfig: 5\n"),
       "field \"leaderElectionConfig\" must be an object, not 5"},
      {config("namespace: [a]\n"), "field \"namespace\" must be a string, not [\"a\"]"},
      {config("enableGatewayAPI: \"yes\"\n"),
       "field \"enableGatewayAPI\" must be true or false, not \"yes\""},
      {config("maxConcurrentChallenges: 1.5\n"),
       "field \"maxConcurrentChallenges\" must be a whole number, not 1.5E0"},
      {config("kubernetesAPIQPS: fast\n"),
       "field \"kubernetesAPIQPS\" must be a number, not \"fast\""},
      {config("leaderElectionConfig:\n  leaseDuration: true\n"),
       "field \"leaderElectionConfig.leaseDuration\" must be a duration such as \"60s\", or "
       "nanoseconds, not true"},
      {config("leaderElectionConfig:\n  leaseDuration: soon\n"),
       "field \"leaderElectionConfig.leaseDuration\": --leader-election-lease-duration: \"soon\" "
       "is not a duration"},
      {config("controllers: \"*\"\n"),
       "field \"controllers\" must be a list of strings, not \"*\""},
      {config("controllers: [\"*\", 5]\n"),
       "field \"controllers\" must be a list of strings, not [\"*\",5]"},
      {config("controllers: [\"*\", \"-approver\"]\n"),
       "field \"controllers\": --controllers: unknown controller \"approver\""},
      {config("featureGates: {ServerSideApply: sometimes}\n"),
       "field \"featureGates\" must be a map of feature gate names to true or false"},
      {config("featureGates: {Nope: true}\n"),
       "field \"featureGates\": --feature-gates: unrecognized feature gate \"Nope\""},
      {config("logging: {format: xml}\n"),
       "field \"logging.format\": --logging-format: \"xml\" is not one of text, json"},
  };
  for (const Row& row : rows) {
    Controller c;
    CAPTURE(row.yaml);
    Status s = c.file(row.yaml);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code() == Errc::invalid_argument);
    CHECK_THAT(s.error().message(), Catch::StartsWith(at + row.message));
    CHECK(s.error().message().find('\n') == std::string::npos);
  }
}

TEST_CASE("a file that cannot be read says so") {
  Controller c;
  Status s = load_config_file("/nonexistent/certmill/config.yaml", c.flags);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message() ==
        "--config /nonexistent/certmill/config.yaml: cannot read it: No such file or directory");
}

TEST_CASE("the --config path is found before the flags are parsed") {
  using Args = std::vector<std::string>;
  CHECK(config_path(Args{"--v=2", "--config=/a.yaml"}) == "/a.yaml");
  CHECK(config_path(Args{"--config", "/b.yaml", "--v=2"}) == "/b.yaml");
  CHECK(config_path(Args{"-config=/c.yaml"}) == "/c.yaml");
  CHECK(config_path(Args{"--config=/a", "--config=/d"}) == "/d");
  CHECK(config_path(Args{"--v=2", "--config"}) == std::nullopt);
  CHECK(config_path(Args{"--", "--config=/e"}) == std::nullopt);
  CHECK(config_path(Args{"--configs=/f"}) == std::nullopt);
}
