// The ACME front: every client request goes on to the CA with the client's
// Host header, so the CA builds every URL it hands out on the front's address
// and checks the JWS `url` the client signed against it. On the way it adds
// what the CA lacks: the directory's renewalInfo and profiles, profile checks,
// Let's Encrypt's rate limits with ARI renewals exempt, and renewalInfo
// answers for the certificates it saw downloaded. All on one shard.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/ratelimits/public_suffix.hpp"
#include "core/result.hpp"
#include "issuers/acme/transport.hpp"
#include "tools/acme-front/certificates.hpp"
#include "tools/acme-front/clock.hpp"
#include "tools/acme-front/directory.hpp"
#include "tools/acme-front/limits.hpp"
#include "tools/acme-front/orders.hpp"
#include "tools/acme-front/server.hpp"
#include "tools/acme-front/stats.hpp"
#include "tools/servers/retry_after_ledger.hpp"

namespace certmill::acmefront {

// The renewalInfo resource's path; the CA's own paths never start with it.
inline constexpr std::string_view kRenewalInfoPath = "/renewal-info";

struct FrontConfig {
  std::string upstream_origin;  // "https://127.0.0.1:14000"
  std::string directory_path;   // "/dir"
  std::map<std::string, std::string> profiles;
  LimitConfig limits;
  // Registered domains for the certificates-per-domain limit; without one,
  // a name's last two labels.
  std::shared_ptr<const ratelimits::PublicSuffixList> public_suffixes;
  std::chrono::seconds renewal_info_retry_after{std::chrono::hours(6)};
  Duration upstream_timeout = std::chrono::seconds(30);
};

// How a new order with `replaces` is answered, besides Boulder's own checks
// (a CertID already replaced, unknown, another account's, or sharing no
// identifier with the order): the management API can make every one fail,
// to exercise a client's fallback to an order without `replaces`.
enum class ReplacesAnswer { Accept, Malformed, AlreadyReplaced };

// What the CA's answers of one kind ("order", "certificate", ...) become, to
// test a client against a CA that breaks RFC 8555 or has a bad moment: the
// request still goes to the CA (so its state and nonces stay true), and the
// client gets `status`, `content_type` and `body` instead (status 0: the CA's
// answer stands), with `retry_after` seconds in a Retry-After header (0: the
// CA's header stands), after `delay` (a slow answer); with `reset`, the
// client gets no answer: its connection is reset. A fault hits every
// `every`th answer of its kind, counted from when it was set, and `times`
// times at most (0: no end), after which the CA's answers come back.
struct Fault {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  bool reset = false;
  std::uint64_t retry_after = 0;
  std::chrono::milliseconds delay{0};
  std::uint64_t every = 1;
  std::uint64_t times = 0;
};

class Front {
 public:
  Front(FrontConfig config, std::unique_ptr<issuers::acme::Transport> upstream);

  // Reads the CA's directory once, as a client at `host` would, to learn
  // where newOrder is; an error when the CA does not answer with one.
  asio::awaitable<Status> learn_directory(std::string host);

  asio::awaitable<Response> handle(Request request);
  // For a request the server could not read: a malformed problem.
  static Response refuse(unsigned status, std::string why);

  FrontClock& clock() { return clock_; }
  CertificateBook& certificates() { return certificates_; }
  const Stats& stats() const { return stats_; }
  void set_replaces_answer(ReplacesAnswer answer) { replaces_answer_ = answer; }
  ReplacesAnswer replaces_answer() const { return replaces_answer_; }
  // A fault for the later answers of `kind`; nullopt clears it.
  void set_fault(const std::string& kind, std::optional<Fault> fault);

 private:
  std::string kind_of(const Request& request) const;
  asio::awaitable<Response> answer(const Request& request, const std::string& kind);
  asio::awaitable<Result<issuers::acme::HttpResponse>> forward(const Request& request);
  asio::awaitable<Response> directory(const Request& request);
  asio::awaitable<Response> new_order(const Request& request, const std::string& account,
                                      std::string_view payload);
  Response renewal_info(std::string_view cert_id);
  // The front's own problem answer to an ACME request, with a fresh nonce
  // from the CA, so the client's next request need not fetch one.
  asio::awaitable<Response> reject(const Request& request, unsigned status, std::string type,
                                   std::string detail,
                                   std::optional<std::chrono::seconds> retry_after = {});
  // The request as the Retry-After ledger knows it: the account and URL,
  // or for a new order the account and the names it asks for.
  std::string retry_key(const Request& request, const std::string& kind) const;
  // Replaces, delays or drops the answer as the fault armed for `kind` says.
  asio::awaitable<void> apply_fault(const std::string& kind, Response& response);
  void observe(std::string_view path, const issuers::acme::HttpResponse& response);
  void observe_order(std::string_view path, std::string_view body);
  void observe_authorization(std::string_view path, std::string_view body);
  void observe_challenge(const issuers::acme::HttpResponse& response);

  FrontConfig config_;
  std::unique_ptr<issuers::acme::Transport> upstream_;
  std::optional<DirectoryPaths> paths_;
  FrontClock clock_;
  Limits limits_;
  CertificateBook certificates_;
  OrderBook orders_;
  Stats stats_;
  ReplacesAnswer replaces_answer_ = ReplacesAnswer::Accept;
  struct ArmedFault {
    Fault fault;
    std::uint64_t answers = 0;  // of its kind since it was set
    std::uint64_t served = 0;
  };
  std::map<std::string, ArmedFault> faults_;
  // Each answer's Retry-After, and the requests that came back before it.
  servers::RetryAfterLedger retry_after_;
};

}  // namespace certmill::acmefront
