// Each factory makes a backend from a fresh spec; what it reads from the
// cluster (a CA's key pair, an ACME account key) it reads here, since
// backends never talk to Kubernetes.
#include "controller/runtime/backend_factories.hpp"

#include "controller/issuer_readiness.hpp"
#include "issuers/ca.hpp"
#include "issuers/self_signed.hpp"

namespace certmill::controller {

void add_backend_factories(Signers& signers, ShardContext& shard, AcmeAccounts& accounts) {
  signers.add(
      IssuerType::SelfSigned,
      [&shard](const IssuerView&, const api::IssuerSpec& spec) -> asio::awaitable<Signers::Made> {
        co_return std::make_shared<issuers::SelfSignedBackend>(shard.pool, shard.reactor.clock(),
                                                               *spec.self_signed);
      });
  signers.add(IssuerType::CA,
              [&shard](const IssuerView& issuer,
                       const api::IssuerSpec& spec) -> asio::awaitable<Signers::Made> {
                const std::string ns =
                    issuer_secret_namespace(issuer, shard.options.cluster_resource_namespace);
                auto secret = co_await shard.client.get<api::Secret>(ns, spec.ca->secret_name);
                if (!secret)
                  co_return secret.error();
                auto ca = issuers::ca_key_pair_from_secret(*secret, shard.now());
                if (!ca)
                  co_return ca.error();
                co_return std::make_shared<issuers::CaBackend>(shard.pool, shard.reactor.clock(),
                                                               std::move(*ca), *spec.ca);
              });
  signers.add(IssuerType::ACME,
              [&accounts](const IssuerView& issuer,
                          const api::IssuerSpec& spec) -> asio::awaitable<Signers::Made> {
                co_return co_await accounts.signer(issuer, *spec.acme);
              });
}

}  // namespace certmill::controller
