// cert-manager's flag table (cmd/controller/app/options AddConfigFlags and
// the logging flags of k8s.io/component-base, v1.21) against certmill's.
#include "tools/certmill/cert_manager_flags.hpp"

#include <algorithm>
#include <charconv>

#include "solvers/dns/nameservers.hpp"

namespace certmill::cmd {

namespace {

struct Ignored {
  const char* name;
  const char* why;
};

constexpr const char* kNoSolverPods = "certmill answers HTTP-01 itself: no solver pods";
constexpr const char* kNoMetricsTls = "/metrics is served over plain HTTP";
constexpr const char* kKlog = "klog's buffering: certmill writes each log line at once";

// Flags with no meaning for certmill.
constexpr Ignored kIgnored[] = {
    {"master", "the API server comes from the kubeconfig or the pod's service account"},
    {"acme-http01-solver-image", kNoSolverPods},
    {"acme-http01-solver-resource-request-cpu", kNoSolverPods},
    {"acme-http01-solver-resource-request-memory", kNoSolverPods},
    {"acme-http01-solver-resource-limits-cpu", kNoSolverPods},
    {"acme-http01-solver-resource-limits-memory", kNoSolverPods},
    {"acme-http01-solver-run-as-non-root", kNoSolverPods},
    {"acme-http01-solver-runtime-class-name", kNoSolverPods},
    {"concurrent-workers", "certmill's concurrency is --shards and --max-concurrent-issuances"},
    {"enable-profiling", "certmill has no Go profiler"},
    {"profiler-address", "certmill has no Go profiler"},
    {"metrics-tls-cert-file", kNoMetricsTls},
    {"metrics-tls-private-key-file", kNoMetricsTls},
    {"metrics-dynamic-serving-leaf-duration", kNoMetricsTls},
    {"metrics-dynamic-serving-ca-secret-namespace", kNoMetricsTls},
    {"metrics-dynamic-serving-ca-secret-name", kNoMetricsTls},
    {"metrics-dynamic-serving-dns-names", kNoMetricsTls},
    {"metrics-tls-cipher-suites", kNoMetricsTls},
    {"metrics-tls-min-version", kNoMetricsTls},
    {"internal-healthz-leader-election-timeout",
     "certmill exits when it loses the Lease, so /livez never waits on it"},
    {"vmodule", "certmill's log level is one for the whole process"},
    {"log-flush-frequency", kKlog},
    {"log-json-info-buffer-size", kKlog},
    {"log-json-split-stream", kKlog},
    {"log-text-info-buffer-size", kKlog},
    {"log-text-split-stream", kKlog},
};

// Flags that pflag declares boolean: given bare, they mean true.
bool is_bool_flag(std::string_view name) {
  return name == "acme-http01-solver-run-as-non-root" || name == "enable-profiling" ||
         name == "log-json-split-stream" || name == "log-text-split-stream";
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (!item.empty())
      out.emplace_back(item);
    if (comma == std::string_view::npos)
      return out;
    text.remove_prefix(comma + 1);
  }
}

std::string list_text(const FlagList& list) {
  std::string out;
  for (const auto& item : list.items)
    out += (out.empty() ? "" : ",") + item;
  return out;
}

Status set_list(FlagList& list, std::string_view value) {
  if (list.replace_next) {
    list.items.clear();
    list.replace_next = false;
  }
  for (std::string& item : split_list(value))
    list.items.push_back(std::move(item));
  return {};
}

void add_list(cli::FlagSet& flags, const char* name, FlagList& list, std::string help,
              std::function<Status(std::string_view)> check = {}) {
  if (flags.has(name))
    return;
  flags.add_func(
      name,
      [&list, name, check](std::string_view value) -> Status {
        if (check) {
          for (const std::string& item : split_list(value)) {
            if (Status s = check(item); !s)
              return Error(Errc::invalid_argument,
                           "--" + std::string(name) + ": " + s.error().message());
          }
        }
        return set_list(list, value);
      },
      std::move(help) + " (comma-separated)", list_text(list));
}

void add_bool(cli::FlagSet& flags, const char* name, bool* target, std::string help) {
  if (!flags.has(name))
    flags.add(name, target, std::move(help));
}

void note_ignored(CertManagerFlags& settings, std::string_view name) {
  if (std::find(settings.ignored.begin(), settings.ignored.end(), name) == settings.ignored.end())
    settings.ignored.emplace_back(name);
}

const char* why_ignored(std::string_view name) {
  for (const Ignored& i : kIgnored) {
    if (i.name == name)
      return i.why;
  }
  return "";
}

}  // namespace

void add_cert_manager_flags(cli::FlagSet& flags, CertManagerFlags& settings,
                            std::string* log_format, std::string* healthz_address) {
  if (!flags.has("config"))
    flags.add("config", &settings.config,
              "cert-manager's ControllerConfiguration file (YAML,\n"
              "controller.config.cert-manager.io/v1alpha1); flags given here win over it");
  if (!flags.has("v"))
    flags.add_func(
        "v",
        [&settings](std::string_view value) -> Status {
          int level = 0;
          const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), level);
          if (ec != std::errc() || end != value.data() + value.size() || value.empty() || level < 0)
            return Error(Errc::invalid_argument,
                         "--v: \"" + std::string(value) + "\" is not a log level (0 or more)");
          settings.verbosity = level;
          return {};
        },
        "klog's log verbosity, as cert-manager: 0 errors, 1 warnings, 2 information,\n"
        "4 debug; sets --log-level");
  if (!flags.has("logging-format"))
    flags.add_choice("logging-format", log_format, {"text", "json"},
                     "the same as --log-format (cert-manager's name)");
  if (!flags.has("internal-healthz-listen-address"))
    flags.add("internal-healthz-listen-address", healthz_address,
              "the same as --healthz-listen-address (cert-manager's hidden name)");
  add_list(flags, "controllers", settings.controllers,
           "controllers to run, as cert-manager: '*' the default ones, 'name' one more,\n"
           "'-name' one fewer; -certificaterequests-approver leaves approval to another approver",
           check_controller_item);
  if (!flags.has("feature-gates"))
    flags.add_func(
        "feature-gates",
        [&settings](std::string_view value) -> Status {
          if (Status s = merge_feature_gates(value, settings.feature_gates); !s)
            return Error(Errc::invalid_argument, "--feature-gates: " + s.error().message());
          return {};
        },
        "cert-manager's feature gates as Name=true,Name=false; ExperimentalGatewayAPISupport\n"
        "is acted on, the others keep their defaults");
  if (!flags.has("max-concurrent-challenges"))
    flags.add("max-concurrent-challenges", &settings.max_concurrent_challenges,
              "ACME challenges presented at once (spread over the shards); more wait their turn");
  add_bool(flags, "enable-certificate-owner-ref", &settings.enable_certificate_owner_ref,
           "make each Certificate the owner of its Secret, so that deleting it deletes the Secret");
  add_list(flags, "extra-certificate-annotations", settings.extra_certificate_annotations,
           "annotations ingress-shim and gateway-shim copy onto the Certificates they make");
  add_list(flags, "auto-certificate-annotations", settings.auto_certificate_annotations,
           "annotations that ask ingress-shim for a Certificate with the default issuer");
  add_list(flags, "copied-annotation-prefixes", settings.copied_annotation_prefixes,
           "annotation prefixes copied from a Certificate to its requests; '-prefix' excludes");
  add_bool(flags, "issuer-ambient-credentials", &settings.issuer_ambient_credentials,
           "Issuers may use credentials from the environment (DNS-01 providers)");
  add_bool(flags, "cluster-issuer-ambient-credentials",
           &settings.cluster_issuer_ambient_credentials,
           "ClusterIssuers may use credentials from the environment (DNS-01 providers)");
  add_list(flags, "dns01-recursive-nameservers", settings.dns01_recursive_nameservers,
           "nameservers (IP or IP:port) that DNS-01 asks to find zones and follow CNAMEs;\n"
           "empty uses the system's resolver",
           [](std::string_view item) -> Status {
             if (item.starts_with("https://"))
               return Error(Errc::invalid_argument,
                            "\"" + std::string(item) +
                                "\": certmill asks nameservers over DNS (IP:port), not DNS "
                                "over HTTPS");
             if (auto parsed = solvers::parse_nameservers(item); !parsed)
               return parsed.error();
             return {};
           });
  add_bool(flags, "dns01-recursive-nameservers-only", &settings.dns01_recursive_nameservers_only,
           "check DNS-01 records only on --dns01-recursive-nameservers, not on each\n"
           "authoritative nameserver of the zone");
  if (!flags.has("dns01-check-retry-period"))
    flags.add("dns01-check-retry-period", &settings.dns01_check_retry_period,
              "wait between a challenge's failed self-checks (DNS-01 propagation, HTTP-01)");
  for (const Ignored& i : kIgnored) {
    if (flags.has(i.name))
      continue;
    const std::string name = i.name;
    flags.add_func(
        name,
        [&settings, name](std::string_view) -> Status {
          note_ignored(settings, name);
          return {};
        },
        std::string("accepted for cert-manager's chart, ignored: ") + i.why, "",
        is_bool_flag(name));
  }
}

void start_command_line(CertManagerFlags& settings) {
  for (FlagList* list :
       {&settings.controllers, &settings.extra_certificate_annotations,
        &settings.auto_certificate_annotations, &settings.copied_annotation_prefixes,
        &settings.dns01_recursive_nameservers})
    list->replace_next = true;
}

std::string log_level_for_verbosity(int verbosity) {
  if (verbosity <= 0)
    return "error";
  if (verbosity == 1)
    return "warn";
  if (verbosity < 4)
    return "info";
  return "debug";
}

std::string ignored_flags_text(const CertManagerFlags& settings,
                               const std::vector<std::string>& more) {
  std::string out;
  const auto add = [&out](const std::string& item) { out += (out.empty() ? "" : "; ") + item; };
  for (const std::string& name : settings.ignored)
    add("--" + name + " (" + why_ignored(name) + ")");
  for (const std::string& item : more)
    add(item);
  return out;
}

}  // namespace certmill::cmd
