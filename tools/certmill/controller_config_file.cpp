// The v1alpha1 ControllerConfiguration's fields (pkg/apis/config/controller/
// v1alpha1 and shared/v1alpha1, cert-manager v1.21) and the flag each one is.
#include "tools/certmill/controller_config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "k8s/yaml.hpp"

namespace certmill::cmd {

namespace {

namespace json = boost::json;

enum class Kind : uint8_t {
  Object,  // a nested object of more fields
  String,
  Bool,
  Integer,
  Number,
  Duration,  // a Go duration string, or integer nanoseconds
  List,      // strings
  Gates,     // featureGates: names to booleans
  Any,       // accepted whatever it holds (options the flag ignores anyway)
};

struct Field {
  std::string_view path;
  Kind kind = Kind::String;
  std::string_view flag = {};
};

constexpr Field kFields[] = {
    {"apiVersion", Kind::String},
    {"kind", Kind::String},
    {"kubeConfig", Kind::String, "kubeconfig"},
    {"apiServerHost", Kind::String, "master"},
    {"kubernetesAPIQPS", Kind::Number, "kube-api-qps"},
    {"kubernetesAPIBurst", Kind::Integer, "kube-api-burst"},
    {"namespace", Kind::String, "namespace"},
    {"clusterResourceNamespace", Kind::String, "cluster-resource-namespace"},
    {"leaderElectionConfig", Kind::Object},
    {"leaderElectionConfig.enabled", Kind::Bool, "leader-elect"},
    {"leaderElectionConfig.namespace", Kind::String, "leader-election-namespace"},
    {"leaderElectionConfig.leaseDuration", Kind::Duration, "leader-election-lease-duration"},
    {"leaderElectionConfig.renewDeadline", Kind::Duration, "leader-election-renew-deadline"},
    {"leaderElectionConfig.retryPeriod", Kind::Duration, "leader-election-retry-period"},
    {"leaderElectionConfig.healthzTimeout", Kind::Duration,
     "internal-healthz-leader-election-timeout"},
    {"controllers", Kind::List, "controllers"},
    {"issuerAmbientCredentials", Kind::Bool, "issuer-ambient-credentials"},
    {"clusterIssuerAmbientCredentials", Kind::Bool, "cluster-issuer-ambient-credentials"},
    {"enableCertificateOwnerRef", Kind::Bool, "enable-certificate-owner-ref"},
    {"enableGatewayAPI", Kind::Bool, "enable-gateway-api"},
    {"copiedAnnotationPrefixes", Kind::List, "copied-annotation-prefixes"},
    {"numberOfConcurrentWorkers", Kind::Integer, "concurrent-workers"},
    {"maxConcurrentChallenges", Kind::Integer, "max-concurrent-challenges"},
    {"metricsListenAddress", Kind::String, "metrics-listen-address"},
    {"metricsTLSConfig", Kind::Object},
    {"metricsTLSConfig.cipherSuites", Kind::List, "metrics-tls-cipher-suites"},
    {"metricsTLSConfig.minTLSVersion", Kind::String, "metrics-tls-min-version"},
    {"metricsTLSConfig.filesystem", Kind::Object},
    {"metricsTLSConfig.filesystem.certFile", Kind::String, "metrics-tls-cert-file"},
    {"metricsTLSConfig.filesystem.keyFile", Kind::String, "metrics-tls-private-key-file"},
    {"metricsTLSConfig.dynamic", Kind::Object},
    {"metricsTLSConfig.dynamic.secretNamespace", Kind::String,
     "metrics-dynamic-serving-ca-secret-namespace"},
    {"metricsTLSConfig.dynamic.secretName", Kind::String, "metrics-dynamic-serving-ca-secret-name"},
    {"metricsTLSConfig.dynamic.dnsNames", Kind::List, "metrics-dynamic-serving-dns-names"},
    {"metricsTLSConfig.dynamic.leafDuration", Kind::Duration,
     "metrics-dynamic-serving-leaf-duration"},
    {"healthzListenAddress", Kind::String, "internal-healthz-listen-address"},
    {"enablePprof", Kind::Bool, "enable-profiling"},
    {"pprofAddress", Kind::String, "profiler-address"},
    {"logging", Kind::Object},
    {"logging.format", Kind::String, "logging-format"},
    {"logging.verbosity", Kind::Integer, "v"},
    {"logging.flushFrequency", Kind::Duration, "log-flush-frequency"},
    {"logging.vmodule", Kind::Any, "vmodule"},
    {"logging.options", Kind::Object},
    {"logging.options.json", Kind::Object},
    {"logging.options.json.infoBufferSize", Kind::Any, "log-json-info-buffer-size"},
    {"logging.options.json.splitStream", Kind::Bool, "log-json-split-stream"},
    {"logging.options.text", Kind::Object},
    {"logging.options.text.infoBufferSize", Kind::Any, "log-text-info-buffer-size"},
    {"logging.options.text.splitStream", Kind::Bool, "log-text-split-stream"},
    {"featureGates", Kind::Gates, "feature-gates"},
    {"ingressShimConfig", Kind::Object},
    {"ingressShimConfig.defaultIssuerName", Kind::String, "default-issuer-name"},
    {"ingressShimConfig.defaultIssuerKind", Kind::String, "default-issuer-kind"},
    {"ingressShimConfig.defaultIssuerGroup", Kind::String, "default-issuer-group"},
    {"ingressShimConfig.defaultAutoCertificateAnnotations", Kind::List,
     "auto-certificate-annotations"},
    {"ingressShimConfig.extraCertificateAnnotations", Kind::List, "extra-certificate-annotations"},
    {"acmeHTTP01Config", Kind::Object},
    {"acmeHTTP01Config.solverImage", Kind::String, "acme-http01-solver-image"},
    {"acmeHTTP01Config.solverResourceRequestCPU", Kind::String,
     "acme-http01-solver-resource-request-cpu"},
    {"acmeHTTP01Config.solverResourceRequestMemory", Kind::String,
     "acme-http01-solver-resource-request-memory"},
    {"acmeHTTP01Config.solverResourceLimitsCPU", Kind::String,
     "acme-http01-solver-resource-limits-cpu"},
    {"acmeHTTP01Config.solverResourceLimitsMemory", Kind::String,
     "acme-http01-solver-resource-limits-memory"},
    {"acmeHTTP01Config.solverRunAsNonRoot", Kind::Bool, "acme-http01-solver-run-as-non-root"},
    {"acmeHTTP01Config.solverNameservers", Kind::List, "acme-http01-solver-nameservers"},
    {"acmeDNS01Config", Kind::Object},
    {"acmeDNS01Config.recursiveNameservers", Kind::List, "dns01-recursive-nameservers"},
    {"acmeDNS01Config.recursiveNameserversOnly", Kind::Bool, "dns01-recursive-nameservers-only"},
    {"acmeDNS01Config.checkRetryPeriod", Kind::Duration, "dns01-check-retry-period"},
};

const Field* find_field(std::string_view path) {
  for (const Field& f : kFields) {
    if (f.path == path)
      return &f;
  }
  return nullptr;
}

const char* wanted(Kind kind) {
  switch (kind) {
    case Kind::Object:
      return "an object";
    case Kind::String:
      return "a string";
    case Kind::Bool:
      return "true or false";
    case Kind::Integer:
      return "a whole number";
    case Kind::Number:
      return "a number";
    case Kind::Duration:
      return "a duration such as \"60s\", or nanoseconds";
    case Kind::List:
      return "a list of strings";
    case Kind::Gates:
      return "a map of feature gate names to true or false";
    case Kind::Any:
      break;
  }
  return "anything";
}

// A value as the file holds it, for error messages.
std::string shown(const json::value& v) {
  std::string text = json::serialize(v);
  if (text.size() > 60)
    text = text.substr(0, 57) + "...";
  return text;
}

std::string integer_text(const json::value& v) {
  if (v.is_int64())
    return std::to_string(v.as_int64());
  if (v.is_uint64())
    return std::to_string(v.as_uint64());
  return {};
}

// The flag's text for a value of the field's kind; none when the value is
// of another kind.
std::optional<std::string> flag_text(const json::value& v, Kind kind) {
  switch (kind) {
    case Kind::String:
      if (v.is_string())
        return std::string(v.as_string());
      break;
    case Kind::Bool:
      if (v.is_bool())
        return v.as_bool() ? "true" : "false";
      break;
    case Kind::Integer:
      if (v.is_int64() || v.is_uint64())
        return integer_text(v);
      break;
    case Kind::Number:
      if (v.is_number()) {
        std::ostringstream s;
        s << v.to_number<double>();
        return s.str();
      }
      break;
    case Kind::Duration:
      if (v.is_string())
        return std::string(v.as_string());
      if (v.is_int64() || v.is_uint64())
        return integer_text(v) + "ns";
      break;
    case Kind::List: {
      if (!v.is_array())
        break;
      std::string out;
      for (const json::value& item : v.as_array()) {
        if (!item.is_string())
          return std::nullopt;
        out += (out.empty() ? "" : ",") + std::string(item.as_string());
      }
      return out;
    }
    case Kind::Gates: {
      if (!v.is_object())
        break;
      std::string out;
      for (const auto& [name, on] : v.as_object()) {
        if (!on.is_bool())
          return std::nullopt;
        out +=
            (out.empty() ? "" : ",") + std::string(name) + "=" + (on.as_bool() ? "true" : "false");
      }
      return out;
    }
    case Kind::Any:
      return shown(v);
    case Kind::Object:
      break;
  }
  return std::nullopt;
}

class Reader {
 public:
  Reader(const std::string& path, cli::FlagSet& flags) : path_(path), flags_(flags) {}

  Status object(const json::object& object, const std::string& prefix) {
    for (const auto& [key, value] : object) {
      const std::string path = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
      const Field* field = find_field(path);
      if (!field)
        return fail("unknown field \"" + path + "\"");
      if (field->kind == Kind::Object) {
        if (value.is_null())
          continue;
        if (!value.is_object())
          return wrong_type(path, *field, value);
        if (Status s = this->object(value.as_object(), path); !s)
          return s;
        continue;
      }
      if (field->flag.empty() || value.is_null())
        continue;  // apiVersion and kind, checked before; null leaves the default
      const auto text = flag_text(value, field->kind);
      if (!text)
        return wrong_type(path, *field, value);
      if (Status s = flags_.set(field->flag, *text); !s)
        return fail("field \"" + path + "\": " + s.error().message());
    }
    return {};
  }

  Error fail(const std::string& what) const {
    return Error(Errc::invalid_argument, "--config " + path_ + ": " + what);
  }

 private:
  Error wrong_type(const std::string& path, const Field& field, const json::value& value) const {
    return fail("field \"" + path + "\" must be " + wanted(field.kind) + ", not " + shown(value));
  }

  const std::string& path_;
  cli::FlagSet& flags_;
};

}  // namespace

std::optional<std::string> config_path(std::span<const std::string> args) {
  std::optional<std::string> path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--")
      break;
    for (std::string_view form : {"--config", "-config"}) {
      if (arg == form && i + 1 < args.size())
        path = args[i + 1];
      else if (arg.starts_with(std::string(form) + "="))
        path = arg.substr(form.size() + 1);
    }
  }
  return path;
}

Status apply_config_file(std::string_view yaml, const std::string& path, cli::FlagSet& flags) {
  Reader reader(path, flags);
  auto text = k8s::yaml_to_json(yaml);
  if (!text)
    return reader.fail("not YAML: " + text.error().message());
  boost::system::error_code ec;
  const json::value doc = json::parse(*text, ec);
  if (ec || !doc.is_object())
    return reader.fail("not a ControllerConfiguration object");
  const json::object& object = doc.as_object();
  const json::value* api_version = object.if_contains("apiVersion");
  if (!api_version || !api_version->is_string() ||
      api_version->as_string() != kControllerConfigApiVersion)
    return reader.fail("apiVersion must be " + std::string(kControllerConfigApiVersion) +
                       (api_version ? ", not " + shown(*api_version) : ""));
  const json::value* kind = object.if_contains("kind");
  if (!kind || !kind->is_string() || kind->as_string() != "ControllerConfiguration")
    return reader.fail(std::string("kind must be ControllerConfiguration") +
                       (kind ? ", not " + shown(*kind) : ""));
  return reader.object(object, "");
}

Status load_config_file(const std::string& path, cli::FlagSet& flags) {
  std::ifstream in(path);
  if (!in)
    return Error(Errc::invalid_argument,
                 "--config " + path + ": cannot read it: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return apply_config_file(text.str(), path, flags);
}

}  // namespace certmill::cmd
