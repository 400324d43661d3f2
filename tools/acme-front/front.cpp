// Routing a client's request: the front's own resources (renewalInfo), the
// directory it extends, the new orders it limits, and everything else passed
// to the CA and back unchanged.
#include "tools/acme-front/front.hpp"

#include <charconv>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "core/acme/link.hpp"
#include "core/log.hpp"
#include "tools/acme-front/jws_peek.hpp"
#include "tools/acme-front/problems.hpp"

namespace certmill::acmefront {

using issuers::acme::HttpRequest;
using issuers::acme::HttpResponse;

namespace {

Response relayed(HttpResponse upstream) {
  Response response;
  response.status = upstream.status;
  response.content_type = std::move(upstream.content_type);
  if (!upstream.replay_nonce.empty())
    response.headers.emplace_back("Replay-Nonce", std::move(upstream.replay_nonce));
  if (!upstream.location.empty())
    response.headers.emplace_back("Location", std::move(upstream.location));
  if (!upstream.retry_after.empty())
    response.headers.emplace_back("Retry-After", std::move(upstream.retry_after));
  for (auto& link : upstream.links)
    response.headers.emplace_back("Link", std::move(link));
  response.headers.emplace_back("Cache-Control", "public, max-age=0, no-cache");
  response.body = std::move(upstream.body);
  return response;
}

std::string path_only(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

// An answer's Retry-After in whole seconds, as the front and Pebble write it.
std::optional<std::chrono::seconds> retry_after_seconds(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    unsigned long seconds = 0;
    const auto end = value.data() + value.size();
    if (name == "Retry-After" && std::from_chars(value.data(), end, seconds).ptr == end)
      return std::chrono::seconds(seconds);
  }
  return std::nullopt;
}

}  // namespace

Front::Front(FrontConfig config, std::unique_ptr<issuers::acme::Transport> upstream)
    : config_(std::move(config)),
      upstream_(std::move(upstream)),
      limits_(config_.limits, config_.public_suffixes) {}

Response Front::refuse(unsigned status, std::string why) {
  return problem(status, "malformed", why);
}

asio::awaitable<Status> Front::learn_directory(std::string host) {
  Request request;
  request.method = "GET";
  request.target = config_.directory_path;
  request.host = std::move(host);
  auto answer = co_await forward(request);
  if (!answer)
    co_return answer.error();
  if (answer->status != 200)
    co_return Error(Errc::invalid_value, "the CA answered HTTP " + std::to_string(answer->status) +
                                             " for its directory");
  auto paths = directory_paths(answer->body);
  if (!paths)
    co_return paths.error();
  paths_ = std::move(*paths);
  co_return Status{};
}

std::string Front::kind_of(const Request& request) const {
  const std::string path = path_only(request.target);
  if (path.starts_with(kRenewalInfoPath))
    return "renewalInfo";
  if (path == config_.directory_path)
    return "directory";
  if (paths_) {
    if (path == paths_->new_nonce)
      return "newNonce";
    if (path == paths_->new_account)
      return "newAccount";
    if (path == paths_->new_order)
      return "newOrder";
  }
  switch (orders_.kind(path)) {
    case Resource::Order:
      return "order";
    case Resource::Finalize:
      return "finalize";
    case Resource::Authorization:
      return "authorization";
    case Resource::Challenge:
      return "challenge";
    case Resource::Certificate:
      return "certificate";
    case Resource::Unknown:
      break;
  }
  return "other";
}

void Front::set_fault(const std::string& kind, std::optional<Fault> fault) {
  if (fault)
    faults_[kind] = ArmedFault{.fault = std::move(*fault)};
  else
    faults_.erase(kind);
}

asio::awaitable<Response> Front::handle(Request request) {
  const std::string kind = kind_of(request);
  ++stats_.requests[kind];
  const std::string key = retry_key(request, kind);
  if (retry_after_.arrived(key, servers::RetryAfterLedger::Clock::now()))
    ++stats_.early_retries[kind];
  Response response = co_await answer(request, kind);
  co_await apply_fault(kind, response);
  if (const auto wait = retry_after_seconds(response); wait && !response.reset)
    retry_after_.told(key, servers::RetryAfterLedger::Clock::now(), *wait);
  co_return response;
}

std::string Front::retry_key(const Request& request, const std::string& kind) const {
  std::string key = request.method + " " + path_only(request.target);
  if (request.method != "POST")
    return key;
  auto jws = peek_jws(request.body);
  if (!jws)
    return key;
  if (kind == "newOrder")
    if (auto payload = decode_new_order_payload(jws->payload))
      key += " " + names_key(payload->identifiers);
  return jws->kid + " " + key;
}

asio::awaitable<void> Front::apply_fault(const std::string& kind, Response& response) {
  auto armed = faults_.find(kind);
  if (armed == faults_.end() || ++armed->second.answers % armed->second.fault.every != 0)
    co_return;
  ++stats_.faults[kind];
  const Fault fault = armed->second.fault;
  if (++armed->second.served == fault.times)
    faults_.erase(armed);
  if (fault.reset) {
    response.reset = true;
  } else if (fault.status != 0) {
    response.status = fault.status;
    response.content_type = fault.content_type;
    response.body = fault.body;
  }
  if (fault.retry_after > 0) {
    std::erase_if(response.headers, [](const auto& h) { return h.first == "Retry-After"; });
    response.headers.emplace_back("Retry-After", std::to_string(fault.retry_after));
  }
  if (fault.delay.count() > 0) {
    asio::steady_timer slow(co_await asio::this_coro::executor, fault.delay);
    co_await slow.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<Response> Front::answer(const Request& request, const std::string& kind) {
  const std::string path = path_only(request.target);
  log::debug("request", {{"method", request.method}, {"path", path}, {"kind", kind}});
  if (kind == "renewalInfo") {
    if (request.method != "GET" && request.method != "HEAD")
      co_return problem(405, "malformed", "renewalInfo answers GET only");
    const std::string_view rest = std::string_view(path).substr(kRenewalInfoPath.size());
    co_return renewal_info(rest.starts_with('/') ? rest.substr(1) : rest);
  }
  if (kind == "directory" && request.method == "GET")
    co_return co_await directory(request);
  if (request.method == "POST") {
    auto jws = peek_jws(request.body);
    if (!jws)
      co_return co_await reject(request, 400, "malformed", jws.error().message());
    if (kind == "newOrder")
      co_return co_await new_order(request, jws->kid, jws->payload);
  }
  auto upstream = co_await forward(request);
  if (!upstream)
    co_return problem(502, "serverInternal",
                      "the CA behind acme-front did not answer: " + upstream.error().message());
  observe(path, *upstream);
  co_return relayed(std::move(*upstream));
}

asio::awaitable<Result<HttpResponse>> Front::forward(const Request& request) {
  HttpRequest out;
  out.method = request.method;
  out.url = config_.upstream_origin + request.target;
  out.body = request.body;
  out.content_type = request.content_type;
  out.accept = request.accept;
  out.host = request.host;
  co_return co_await upstream_->send(std::move(out), config_.upstream_timeout);
}

asio::awaitable<Response> Front::directory(const Request& request) {
  auto upstream = co_await forward(request);
  if (!upstream)
    co_return problem(502, "serverInternal",
                      "the CA behind acme-front did not answer: " + upstream.error().message());
  if (upstream->status != 200)
    co_return relayed(std::move(*upstream));
  if (auto paths = directory_paths(upstream->body))
    paths_ = std::move(*paths);
  auto extended = extend_directory(
      upstream->body, "https://" + request.host + std::string(kRenewalInfoPath), config_.profiles);
  if (!extended)
    co_return problem(502, "serverInternal", extended.error().message());
  upstream->body = std::move(*extended);
  co_return relayed(std::move(*upstream));
}

asio::awaitable<Response> Front::new_order(const Request& request, const std::string& account,
                                           std::string_view payload_text) {
  auto payload = decode_new_order_payload(payload_text);
  if (!payload)
    co_return co_await reject(request, 400, "malformed", payload.error().message());
  if (account.empty())
    co_return co_await reject(request, 400, "malformed",
                              "newOrder must be signed with the account URL as kid");
  if (!payload->profile.empty() && config_.profiles.count(payload->profile) == 0) {
    std::string offered;
    for (const auto& [name, description] : config_.profiles)
      offered += (offered.empty() ? "" : ", ") + name;
    co_return co_await reject(
        request, 400, "invalidProfile",
        "profile \"" + payload->profile + "\" is not offered" +
            (offered.empty() ? " (this CA offers none)" : "; offered: " + offered));
  }
  // An order for a set already issued is a renewal: exempt from the
  // new-orders and per-domain limits (and not counted in the former).
  bool renewal = false;
  if (!payload->replaces.empty()) {
    if (replaces_answer_ == ReplacesAnswer::Malformed)
      co_return co_await reject(request, 400, "malformed",
                                "the certificate \"" + payload->replaces + "\" cannot be replaced");
    if (replaces_answer_ == ReplacesAnswer::AlreadyReplaced)
      co_return co_await reject(
          request, 409, "alreadyReplaced",
          "the certificate \"" + payload->replaces + "\" was already replaced");
    if (auto refused =
            certificates_.refuse_replacement(payload->replaces, account, payload->identifiers))
      co_return co_await reject(request, refused->status, refused->type, refused->detail);
  } else {
    const Instant now = clock_.now();
    renewal = limits_.renewal(now, payload->identifiers);
    const SysTime wall = std::chrono::system_clock::now() +
                         std::chrono::duration_cast<SysTime::duration>(clock_.offset());
    if (auto refusal = limits_.check_new_order(now, wall, account, payload->identifiers)) {
      ++stats_.rate_limited[refusal->limit];
      co_return co_await reject(request, 429, "rateLimited", refusal->detail, refusal->retry_after);
    }
  }
  auto upstream = co_await forward(request);
  if (!upstream)
    co_return problem(502, "serverInternal",
                      "the CA behind acme-front did not answer: " + upstream.error().message());
  if (upstream->status == 201 && !upstream->location.empty()) {
    // Counted only once the CA created the order: a badNonce retry is one order.
    if (!payload->replaces.empty())
      ++stats_.orders_with_replaces;
    else if (!renewal)
      limits_.count_new_order(clock_.now(), account);
    ++stats_.new_orders_by_names[names_key(payload->identifiers)];
    const std::string order_path = path_of(upstream->location);
    orders_.add_order(order_path,
                      TrackedOrder{account, payload->identifiers, payload->replaces, false});
    observe(order_path, *upstream);
  }
  co_return relayed(std::move(*upstream));
}

Response Front::renewal_info(std::string_view cert_id) {
  if (!is_cert_id(cert_id))
    return problem(400, "malformed",
                   "\"" + std::string(cert_id) + "\" is not an ARI CertID (base64url.base64url)");
  const auto window = certificates_.window(std::string(cert_id));
  if (!window)
    return problem(404, "malformed",
                   "no certificate with CertID \"" + std::string(cert_id) + "\" is known");
  boost::json::object suggested;
  suggested["start"] = format_time(window->start);
  suggested["end"] = format_time(window->end);
  boost::json::object body;
  body["suggestedWindow"] = std::move(suggested);
  if (auto explained = certificates_.explanation_url(std::string(cert_id)); !explained.empty())
    body["explanationURL"] = std::move(explained);
  Response response;
  response.content_type = "application/json";
  response.headers.emplace_back("Retry-After",
                                std::to_string(config_.renewal_info_retry_after.count()));
  response.body = boost::json::serialize(body);
  return response;
}

asio::awaitable<Response> Front::reject(const Request& request, unsigned status, std::string type,
                                        std::string detail,
                                        std::optional<std::chrono::seconds> retry_after) {
  ++stats_.problems[type];
  Response response = problem(status, type, detail);
  if (retry_after)
    response.headers.emplace_back("Retry-After", std::to_string(retry_after->count()));
  if (paths_) {
    Request nonce;
    nonce.method = "HEAD";
    nonce.target = paths_->new_nonce;
    nonce.host = request.host;
    if (auto fresh = co_await forward(nonce); fresh && !fresh->replay_nonce.empty())
      response.headers.emplace_back("Replay-Nonce", fresh->replay_nonce);
  }
  response.headers.emplace_back(
      "Link", "<https://" + request.host + config_.directory_path + ">;rel=\"index\"");
  co_return response;
}

}  // namespace certmill::acmefront
