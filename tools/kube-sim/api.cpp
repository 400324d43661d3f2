// Request routing, authentication, faults and accounting; the object verbs
// are in objects*.cpp, discovery and OpenAPI in discovery.cpp.
#include "tools/kube-sim/api.hpp"

#include "core/log.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

bool is_admin(const Target& t) {
  return !t.segments.empty() && t.segments[0] == "kube-sim";
}

// One request, for the Retry-After ledger: the user's method and URL, and
// for a create the object's name (a collection takes many creates).
std::string retry_key(const Request& request, const std::string& user) {
  std::string key = user + " " + request.method + " " + request.target;
  if (request.method != "POST")
    return key;
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  const json::value* metadata =
      !ec && body.is_object() ? body.as_object().if_contains("metadata") : nullptr;
  if (metadata && metadata->is_object()) {
    for (const char* field : {"name", "generateName"})
      if (const auto* name = metadata->as_object().if_contains(field); name && name->is_string())
        key += std::string(" ") + field + "=" + std::string(name->as_string());
  }
  return key;
}

}  // namespace

Target parse_target(const std::string& target) {
  Target t;
  std::string_view s = target;
  auto q = s.find('?');
  std::string_view path = s.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : s.substr(q + 1);
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto seg = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (!seg.empty())
      t.segments.push_back(decode(seg, false));
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    auto kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (kv.empty())
      continue;
    auto eq = kv.find('=');
    std::string key = decode(kv.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? "" : decode(kv.substr(eq + 1), true);
    t.query.emplace(std::move(key), std::move(value));
  }
  return t;
}

Api::Api(Options options) : options_(std::move(options)), store_(options_.history_limit) {
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    json::object o{
        {"kind", "Namespace"}, {"apiVersion", "v1"}, {"metadata", json::object{{"name", ns}}}};
    Call call;
    call.type = registry_.find("", "v1", "namespaces");
    call.user_agent = "kube-apiserver";
    create(call, std::move(o), false);
  }
}

std::chrono::milliseconds Api::latency_for(const Request& request) const {
  return request.target.starts_with("/kube-sim/") ? std::chrono::milliseconds(0) : faults_.latency;
}

Response Api::handle(const Request& request) {
  const Target target = parse_target(request.target);
  Call call;
  call.request = &request;
  call.target = &target;
  call.user_agent = request.user_agent;
  Response r;
  std::string key;     // the request, for the Retry-After ledger
  bool early = false;  // back before its Retry-After passed
  if (auto stop = authenticate(request, call)) {
    r = std::move(*stop);
  } else if (auto denied = impersonate(request, call)) {
    r = std::move(*denied);
  } else if (auto forbidden = authorize(request, target, call)) {
    r = std::move(*forbidden);
  } else if (is_admin(target)) {
    return admin(request, target);
  } else {
    const auto now = servers::RetryAfterLedger::Clock::now();
    if (!retry_after_.empty() || faults_.error_429 > 0) {
      key = retry_key(request, call.user.name);
      early = retry_after_.arrived(key, now);
    }
    std::uniform_real_distribution<double> d(0, 1);
    const double x = d(rng_);
    if (auto targeted = targeted_fault(request)) {
      r = std::move(*targeted);
    } else if (x < faults_.error_429) {
      retry_after_.told(key, now, std::chrono::seconds(1));
      StatusDetails details;
      details.present = true;
      details.retry_after = 1;
      r = status_response(429, "TooManyRequests",
                          "the server has received too many requests and has asked us to try "
                          "again later",
                          details);
      r.headers.emplace_back("Retry-After", "1");
    } else if (x < faults_.error_429 + faults_.error_500) {
      r = status_response(500, "InternalError", "Internal error occurred: injected by kube-sim");
    } else if (x < faults_.error_429 + faults_.error_500 + faults_.error_503) {
      r = status_response(503, "ServiceUnavailable",
                          "the server is currently unable to handle the request");
    } else {
      r = dispatch(request, target, call);
    }
  }
  if (call.verb.empty())
    call.verb = request.method == "GET" ? "get" : request.method;
  const std::string what = call.verb + " " + (call.type ? call.type->plural : std::string("-"));
  ++counts_[what + " " + std::to_string(r.status)];
  ++agent_requests_[request.user_agent.substr(0, request.user_agent.find('/'))];
  if (early) {
    ++early_retries_[what];
    log::info("a request came back before its Retry-After had passed", {{"request", key}});
  }
  const bool write = call.verb == "create" || call.verb == "update" || call.verb == "patch" ||
                     call.verb == "delete";
  if (write && r.status < 400) {
    ++namespace_writes_[call.ns];
    ++user_writes_[call.user.name];
  }
  return r;
}

json::object Api::stats() const {
  json::array requests;
  std::uint64_t total = 0;
  for (const auto& [key, n] : counts_) {
    auto a = key.find(' ');
    auto b = key.rfind(' ');
    requests.push_back(json::object{{"verb", key.substr(0, a)},
                                    {"resource", key.substr(a + 1, b - a - 1)},
                                    {"code", std::stoi(key.substr(b + 1))},
                                    {"count", n}});
    total += n;
  }
  std::size_t objects = 0;
  for (auto& [k, b] : const_cast<Store&>(store_).buckets())
    objects += b.size();
  json::object writes_by_namespace;
  for (const auto& [ns, n] : namespace_writes_)
    writes_by_namespace[ns] = n;
  json::object requests_by_agent;
  for (const auto& [agent, n] : agent_requests_)
    requests_by_agent[agent] = n;
  json::object early_by;
  for (const auto& [what, n] : early_retries_)
    early_by[what] = n;
  json::object writes_by_user;
  for (const auto& [user, n] : user_writes_)
    writes_by_user[user] = n;
  return json::object{{"requests", std::move(requests)},
                      {"writesByNamespace", std::move(writes_by_namespace)},
                      {"writesByUser", std::move(writes_by_user)},
                      {"total", total},
                      {"requestsByUserAgent", std::move(requests_by_agent)},
                      {"earlyRetries", retry_after_.early()},
                      {"earlyRetriesBy", std::move(early_by)},
                      {"objects", objects},
                      {"resourceVersion", std::to_string(store_.rv())},
                      {"watchers", store_.watcher_count()}};
}

std::optional<Response> Api::targeted_fault(const Request& request) {
  for (auto it = faults_.targeted.begin(); it != faults_.targeted.end(); ++it) {
    if ((!it->method.empty() && it->method != request.method) ||
        request.target.find(it->path) == std::string::npos ||
        request.body.find(it->body) == std::string::npos)
      continue;
    const int status = it->status;
    if (--it->times <= 0)
      faults_.targeted.erase(it);
    log::info("a targeted fault answers a request",
              {{"request", request.method + " " + request.target}, {"status", status}});
    if (status == 409)
      return status_response(409, "Conflict", "injected by kube-sim: the object has been modified");
    if (status == 429)
      return status_response(429, "TooManyRequests", "injected by kube-sim");
    return status_response(status >= 500 && status < 600 ? status : 503,
                           status == 500 ? "InternalError" : "ServiceUnavailable",
                           "injected by kube-sim");
  }
  return std::nullopt;
}

Response Api::admin(const Request& request, const Target& target) {
  const auto& s = target.segments;
  if (s.size() == 2 && s[1] == "stats" && request.method == "GET")
    return json_response(200, stats());
  if (s.size() == 2 && s[1] == "faults") {
    if (request.method != "GET") {
      json::error_code ec;
      json::value v = json::parse(request.body, ec);
      if (ec || !v.is_object())
        return status_response(400, "BadRequest", "faults: body must be a JSON object");
      const auto& o = v.as_object();
      auto num = [&](std::string_view k, double& out) {
        if (auto* x = o.if_contains(k); x && x->is_number())
          out = x->to_number<double>();
      };
      num("error429", faults_.error_429);
      num("error500", faults_.error_500);
      num("error503", faults_.error_503);
      if (auto* x = o.if_contains("latencyMs"); x && x->is_number())
        faults_.latency = std::chrono::milliseconds(x->to_number<std::int64_t>());
      if (auto* x = o.if_contains("closeWatches"); x && x->is_bool() && x->as_bool())
        store_.close_watchers();
      if (auto* x = o.if_contains("forgetHistory"); x && x->is_bool() && x->as_bool())
        store_.forget_history();
      if (auto* x = o.if_contains("watchGarbage"); x && x->is_string())
        store_.send_raw(std::string(x->as_string()) + "\n");
      if (auto* x = o.if_contains("holdWatch"); x && x->is_object()) {
        const auto& hold = x->as_object();
        std::vector<std::string> from;
        if (auto* parts = hold.if_contains("from"); parts && parts->is_array())
          for (const auto& part : parts->as_array())
            if (part.is_string())
              from.emplace_back(part.as_string());
        const auto* type = hold.if_contains("type");
        if (!type || !type->is_string())
          return status_response(400, "BadRequest", "holdWatch: \"type\" must be GROUP/RESOURCE");
        store_.hold_events(std::string(type->as_string()), std::move(from));
      }
      if (auto* x = o.if_contains("releaseWatch"); x && x->is_bool() && x->as_bool())
        store_.release_held();
      if (auto* x = o.if_contains("failNext"); x && x->is_object()) {
        const auto& f = x->as_object();
        TargetedFault fault;
        auto text = [&](std::string_view k, std::string& out) {
          if (auto* field = f.if_contains(k); field && field->is_string())
            out = std::string(field->as_string());
        };
        text("method", fault.method);
        text("path", fault.path);
        text("body", fault.body);
        if (auto* field = f.if_contains("status"); field && field->is_int64())
          fault.status = static_cast<int>(field->as_int64());
        if (auto* field = f.if_contains("times"); field && field->is_int64())
          fault.times = static_cast<int>(field->as_int64());
        faults_.targeted.push_back(std::move(fault));
      }
    }
    return json_response(200, json::object{{"error429", faults_.error_429},
                                           {"error500", faults_.error_500},
                                           {"error503", faults_.error_503},
                                           {"latencyMs", faults_.latency.count()}});
  }
  return not_found_page();
}

Response Api::dispatch(const Request& request, const Target& target, Call& call) {
  const auto& s = target.segments;
  if (auto proxied = aggregated(target, call))
    return std::move(*proxied);
  bool handled = false;
  Response d = discovery(target, s, request.accept, handled);
  if (handled)
    return d;
  if (!s.empty() && s[0] == "openapi")
    return openapi(s, request.accept);
  // /api/v1/... or /apis/G/V/...
  std::size_t rest;
  std::string group;
  std::string version;
  if (s.size() == 4 && s[0] == "apis" && s[1] == "authorization.k8s.io" && s[2] == "v1") {
    if (s[3] == "selfsubjectaccessreviews")
      return access_review(call);
    if (s[3] == "selfsubjectrulesreviews")
      return rules_review(call);
  }
  if (s.size() >= 3 && s[0] == "api") {
    version = s[1];
    rest = 2;
  } else if (s.size() >= 4 && s[0] == "apis") {
    group = s[1];
    version = s[2];
    rest = 3;
  } else {
    return not_found_page();
  }
  std::vector<std::string> r(s.begin() + static_cast<std::ptrdiff_t>(rest), s.end());
  const bool core = group.empty();
  if (r.size() >= 3 && r[0] == "namespaces" &&
      !(core && r.size() == 3 && (r[2] == "status" || r[2] == "finalize"))) {
    call.ns = r[1];
    call.ns_in_path = true;
    call.type = registry_.find(group, version, r[2]);
    if (r.size() > 3)
      call.name = r[3];
    if (r.size() > 4)
      call.sub = r[4];
    if (r.size() > 5 || (call.type && !call.type->namespaced))
      call.type = nullptr;
  } else {
    call.type = registry_.find(group, version, r[0]);
    if (r.size() > 1)
      call.name = r[1];
    if (r.size() > 2)
      call.sub = r[2];
    if (r.size() > 3)
      call.type = nullptr;
  }
  if (!call.type)
    return not_found_page();
  if (call.type->plural == "serviceaccounts" && call.type->group.empty() && call.sub == "token")
    return token_request(call);
  if (call.type->plural == "deployments" && call.type->group == "apps" && call.sub == "scale")
    return scale(call);
  if (!call.sub.empty() && !(call.sub == "status" && call.type->status_subresource))
    return not_found_page();
  return resource(call);
}

}  // namespace certmill::kubesim
