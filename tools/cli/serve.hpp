// How a loopback test server (dns-api-sim, dns-webhook-example) runs its one
// listener: start it, print where it listens once it accepts, and on SIGTERM
// or SIGINT stop it and the reactor. Returns the signal's number.
#pragma once

#include <string_view>

#include "reactor/http_listener.hpp"
#include "reactor/reactor.hpp"

namespace certmill::cmd {

// `banner` is printed with the port appended, e.g. "x listening on http://127.0.0.1:".
int serve_until_signal(reactor::Reactor& reactor, reactor::HttpListener& listener,
                       std::string_view banner);

}  // namespace certmill::cmd
