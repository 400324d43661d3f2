// Downloading an order's certificate chain (RFC 8555 §7.4.2) and, when the
// user asked for a preferredChain, choosing among the CA's alternate chains
// the way cert-manager does.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "issuers/acme/client.hpp"

namespace certmill::issuers::acme {

// cert-manager's rule: a chain matches when its topmost certificate was issued
// by a CA whose common name is `issuer_cn`. A chain that does not parse is an
// error.
Result<bool> chain_matches(std::string_view chain_pem, std::string_view issuer_cn);

// The chain at `certificate_url` (PEM, leaf first). With a `preferred_chain`,
// the default chain if it matches, else the first rel="alternate" chain that
// does, else the default: an unmatched preference is not an error, as in
// cert-manager.
asio::awaitable<Result<std::string>> download_chain(Client& client, std::string certificate_url,
                                                    std::string preferred_chain);

}  // namespace certmill::issuers::acme
