// Which failed ACME requests are worth sending again within an order, and how
// long to wait first. A CA has bad seconds (a deploy, a database failover, a
// load balancer dropping connections); failing the order for one of them
// costs the Certificate cert-manager's hour of backoff, while waiting a few
// seconds costs nothing. Pure: order.cpp decides which requests are safe to
// repeat, Client waits and counts.
#pragma once

#include <chrono>
#include <optional>

#include "core/acme/problem.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"

namespace certmill::issuers::acme {

// The CA answered with a server error (serverInternal), or no answer came:
// the connection was refused, reset or broken, or the request's deadline
// passed (waiting for a free connection included). Not transient: a 4xx
// problem (badNonce has its own retries in Client, rateLimited its gate in
// new_order.hpp), an answer that does not parse, a TLS failure, cancellation.
bool is_transient(const Error& error);

// A transient failure without an answer: the request may have reached the CA
// and taken effect there, so a request that is not idempotent (newOrder) may
// be repeated by sending it again.
bool answer_lost(const Error& error);

// The problem type Client gives an error answer: the one its body names, but
// serverInternal for a 5xx whose body names none (a proxy's error page, an
// empty 503), which is as much the CA's failure as a serverInternal is.
certmill::acme::ProblemType answer_problem_type(unsigned http_status,
                                                certmill::acme::ProblemType named);

struct RetryBackoff {
  std::chrono::seconds first{1};
  std::chrono::seconds max{30};
};

// The wait before retry `attempt` (0 for the first): the CA's Retry-After
// when it sent one (a second at least: a date in the past must not make a hot
// loop), otherwise `first` doubled per attempt up to `max`, then stretched by
// up to half by `spread` (in [0, 1)) so that the orders one outage failed at
// once do not all come back in the same second. How long the retries may go
// on is the caller's deadline.
Duration retry_wait(const RetryBackoff& backoff, std::optional<std::chrono::seconds> retry_after,
                    int attempt, double spread);

}  // namespace certmill::issuers::acme
