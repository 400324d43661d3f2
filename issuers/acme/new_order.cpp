// create_order: the payload, the `replaces` fallback and the gated retries.
#include "issuers/acme/new_order.hpp"

#include <algorithm>
#include <cctype>

#include "core/acme/problem.hpp"
#include "core/duration.hpp"
#include "core/json/writer.hpp"

namespace certmill::issuers::acme {
namespace {

namespace proto = certmill::acme;
using proto::ProblemType;

std::string new_order_payload(const OrderCsr& csr, const OrderRequest& request,
                              bool with_replaces) {
  json::JsonWriter w;
  w.begin_object();
  w.key("identifiers");
  w.begin_array();
  for (const proto::Identifier& id : csr.identifiers) {
    w.begin_object();
    w.key("type");
    w.string(id.type);
    w.key("value");
    w.string(id.value);
    w.end_object();
  }
  w.end_array();
  if (request.not_after) {
    w.key("notAfter");
    w.string(format_time(*request.not_after));
  }
  if (!request.profile.empty()) {
    w.key("profile");
    w.string(request.profile);
  }
  if (with_replaces) {
    w.key("replaces");
    w.string(request.replaces);
  }
  w.end_object();
  return w.take();
}

// One newOrder request; the order's URL is its Location (§7.4). With turns,
// it goes when its turn comes, and not at all when the turns refuse it.
asio::awaitable<Result<CreatedOrder>> post_new_order(Client& client, const std::string& url,
                                                     std::string payload, bool with_replaces,
                                                     NewOrderTurns* turns) {
  if (turns) {
    if (Status turn = co_await turns->enter(with_replaces); !turn)
      co_return turn.error();
  }
  auto created = co_await client.post(url, std::move(payload));
  if (turns)
    turns->sent(created ? Status{} : Status{created.error()});
  if (!created)
    co_return created.error();
  if (created->location.empty())
    co_return Error(Errc::missing_field, "POST " + url + ": no order URL (Location)");
  CreatedOrder order;
  order.url = created->location;
  order.response = std::move(*created);
  co_return order;
}

// An ordinary order: through the gate, waiting out 429s with the account's
// other orders, max_attempts times at most.
asio::awaitable<Result<CreatedOrder>> gated_new_order(Client& client, const std::string& url,
                                                      const std::string& payload,
                                                      NewOrderTurns* turns) {
  NewOrderGate& gate = client.new_order_gate();
  const NewOrderLimits& limits = gate.limits();
  if (!limits.gate)
    co_return co_await post_new_order(client, url, payload, false, turns);
  for (int attempt = 1;; ++attempt) {
    auto slot = co_await gate.enter();
    if (!slot)
      co_return slot.error();
    auto created = co_await post_new_order(client, url, payload, false, turns);
    if (created || created.error().code() != ProblemType::RateLimited)
      co_return created;
    // Without a Retry-After there is no time to wait for: the caller backs off.
    const auto retry_after = created.error().retry_after();
    if (!retry_after)
      co_return created;
    gate.close(*retry_after);
    if (*retry_after > limits.max_wait) {
      co_return Error(ProblemType::RateLimited,
                      created.error().message() + " (the CA asks to wait " +
                          format_duration(*retry_after) +
                          ", longer than an order waits: " + format_duration(limits.max_wait) + ")")
          .with_retry_after(*retry_after);
    }
    if (attempt >= limits.max_attempts) {
      co_return Error(ProblemType::RateLimited, created.error().message() + " (rate limited " +
                                                    std::to_string(attempt) +
                                                    " times in a row; giving up)")
          .with_retry_after(*retry_after);
    }
  }
}

bool mentions_replace(std::string_view message) {
  std::string lower(message);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("replace") != std::string::npos;
}

}  // namespace

bool refuses_replaces(const Error& error) {
  const std::error_code code = error.code();
  if (code == ProblemType::AlreadyReplaced)
    return true;
  return (code == ProblemType::Malformed || code == ProblemType::Unauthorized) &&
         mentions_replace(error.message());
}

asio::awaitable<Result<CreatedOrder>> create_order(Client& client, const Directory& directory,
                                                   const OrderCsr& csr,
                                                   const OrderRequest& request) {
  bool dropped = false;
  if (!request.replaces.empty() && !directory.renewal_info.empty()) {
    auto renewal = co_await post_new_order(
        client, directory.new_order, new_order_payload(csr, request, true), true, request.turns);
    if (renewal || !refuses_replaces(renewal.error()))
      co_return renewal;
    dropped = true;
  } else {
    dropped = !request.replaces.empty();
  }
  auto created = co_await gated_new_order(client, directory.new_order,
                                          new_order_payload(csr, request, false), request.turns);
  if (created)
    created->replaces_dropped = dropped;
  co_return created;
}

}  // namespace certmill::issuers::acme
