// Chain download: POST-as-GET with the PEM chain media type, Link
// rel="alternate" for the other chains.
#include "issuers/acme/chain.hpp"

#include "core/acme/link.hpp"
#include "core/pki/x509.hpp"

namespace certmill::issuers::acme {
namespace {

constexpr std::string_view kPemChain = "application/pem-certificate-chain";

struct Fetched {
  std::string pem;
  std::vector<std::string> alternates;
};

asio::awaitable<Result<Fetched>> fetch(Client& client, const std::string& url) {
  auto response = co_await client.post_as_get(url, std::string(kPemChain));
  if (!response)
    co_return response.error();
  // Parsing here turns an HTML page or a truncated answer into a clear error
  // before anything is stored.
  if (auto certs = pki::parse_certificates(response->body, "certificate chain from " + url); !certs)
    co_return certs.error();
  co_return Fetched{.pem = std::move(response->body),
                    .alternates = certmill::acme::link_targets(response->links, "alternate")};
}

}  // namespace

Result<bool> chain_matches(std::string_view chain_pem, std::string_view issuer_cn) {
  auto certs = pki::parse_certificates(chain_pem, "certificate chain");
  if (!certs)
    return certs.error();
  const pki::Certificate& top = certs->back();
  return pki::read_name(X509_get_issuer_name(top.get())).common_name == issuer_cn;
}

asio::awaitable<Result<std::string>> download_chain(Client& client, std::string certificate_url,
                                                    std::string preferred_chain) {
  auto chain = co_await fetch(client, certificate_url);
  if (!chain)
    co_return chain.error();
  if (preferred_chain.empty())
    co_return std::move(chain->pem);
  auto matches = chain_matches(chain->pem, preferred_chain);
  if (!matches)
    co_return matches.error();
  if (*matches)
    co_return std::move(chain->pem);
  for (const std::string& url : chain->alternates) {
    auto alternate = co_await fetch(client, url);
    if (!alternate)
      co_return alternate.error();
    auto alternate_matches = chain_matches(alternate->pem, preferred_chain);
    if (!alternate_matches)
      co_return alternate_matches.error();
    if (*alternate_matches)
      co_return std::move(alternate->pem);
  }
  co_return std::move(chain->pem);
}

}  // namespace certmill::issuers::acme
