// Making and keeping signers, each by its issuer type's factory.
#include "controller/runtime/signers.hpp"

namespace certmill::controller {

namespace {

std::string signer_id(bool cluster, const std::string& key) {
  return (cluster ? "K|" : "I|") + key;
}

std::string signer_id(const IssuerView& issuer) {
  return signer_id(issuer.cluster,
                   issuer.cluster ? issuer.name : issuer.namespace_ + "/" + issuer.name);
}

}  // namespace

asio::awaitable<Result<api::IssuerSpec>> fetch_issuer_spec(k8s::Client& client,
                                                           const IssuerView& issuer) {
  if (issuer.cluster) {
    auto object = co_await client.get<api::ClusterIssuer>("", issuer.name);
    if (!object)
      co_return object.error();
    co_return std::move(object->spec);
  }
  auto object = co_await client.get<api::Issuer>(issuer.namespace_, issuer.name);
  if (!object)
    co_return object.error();
  co_return std::move(object->spec);
}

void Signers::add(IssuerType type, Factory factory) {
  factories_[type] = std::move(factory);
}

void Signers::forget(bool cluster, const std::string& key) {
  signers_.erase(signer_id(cluster, key));
}

asio::awaitable<Signers::Made> Signers::get(const IssuerView& issuer) {
  shard_.on_shard();
  const std::string id = signer_id(issuer);
  for (;;) {
    const Time now = shard_.now();
    if (auto it = signers_.find(id); it != signers_.end()) {
      const bool fresh =
          issuer.type == IssuerType::ACME || now < it->second.fetched + shard_.options.signer_ttl;
      if (it->second.generation == issuer.generation && fresh)
        co_return it->second.backend;
    }
    auto opening = opening_.find(id);
    if (opening == opening_.end())
      break;
    // Another reconcile is making this signer: wait for it, then look again.
    co_await opening->second->wait();
  }
  opening_[id] = std::make_unique<reactor::Notifier>(shard_.shard.executor());
  auto made = co_await make(issuer);
  Made backend = made ? Made(made->backend) : Made(made.error());
  if (made)
    signers_[id] = std::move(*made);
  if (auto it = opening_.find(id); it != opening_.end()) {
    it->second->notify_all();
    opening_.erase(it);
  }
  co_return backend;
}

std::shared_ptr<const api::IssuerSpec> Signers::spec(const IssuerView& issuer) const {
  const auto it = signers_.find(signer_id(issuer));
  return it == signers_.end() ? nullptr : it->second.spec;
}

asio::awaitable<Result<Signers::Signer>> Signers::make(IssuerView issuer) {
  auto spec = co_await fetch_issuer_spec(shard_.client, issuer);
  if (!spec)
    co_return spec.error();
  const IssuerType type = issuer_type_of(*spec);
  auto factory = factories_.find(type);
  if (factory == factories_.end())
    co_return Error(Errc::invalid_value, "issuer " + issuer.name + " is a " +
                                             issuer_type_name(type) +
                                             " issuer, which certmill does not sign with");
  auto backend = co_await factory->second(issuer, *spec);
  if (!backend)
    co_return backend.error();
  co_return Signer{issuer.generation, shard_.now(), std::move(*backend),
                   std::make_shared<const api::IssuerSpec>(std::move(*spec))};
}

}  // namespace certmill::controller
