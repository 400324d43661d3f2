// What a DNS-01 provider is made with: the shard it runs on, a reader of the
// Secrets its Issuer names, whether it may use the credentials of the
// environment it runs in, and where its API is. Kept apart from the registry
// so that a provider's folder needs only this and its own files.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "core/result.hpp"

namespace certmill::solvers::dns {

// One value of a Secret the Issuer refers to, read from the Issuer's
// namespace (a ClusterIssuer's: --cluster-resource-namespace); an error
// names the Secret and key that are missing.
using SecretReader =
    std::function<boost::asio::awaitable<Result<std::string>>(const api::SecretKeySelector&)>;

struct ProviderContext {
  boost::asio::any_io_executor executor;
  SecretReader read_secret;
  // --issuer-ambient-credentials or --cluster-issuer-ambient-credentials, as
  // the Issuer's kind picks: the environment's keys, instance metadata and
  // workload identity may be used.
  bool ambient_credentials = false;
  // A provider's API base URL in place of the public one, by the provider's
  // field name ("cloudflare" -> --cloudflare-api-url): private endpoints,
  // and the emulators the tests run.
  std::map<std::string, std::string> api_urls = {};
  // For webhook solvers: a JSON POST through the Kubernetes API server to
  // an aggregated API, the answer's body on 2xx; and the namespace their
  // Secrets are read from (the Issuer's, or --cluster-resource-namespace).
  std::function<boost::asio::awaitable<Result<std::string>>(std::string path, std::string body)>
      kube_post = {};
  std::string resource_namespace = {};

  // The endpoint for `provider`, or `fallback` when none was given.
  std::string api_url(const std::string& provider, const std::string& fallback) const {
    const auto it = api_urls.find(provider);
    return it == api_urls.end() || it->second.empty() ? fallback : it->second;
  }
};

// Reads `ref` for the field `field` ("cloudflare.apiTokenSecretRef"); the
// error starts with the field, so the Challenge says which setting is wrong.
inline boost::asio::awaitable<Result<std::string>> read_secret_field(
    const ProviderContext& context, const api::SecretKeySelector& ref, const std::string& field) {
  if (ref.name.empty())
    co_return Error(Errc::missing_field, field + ".name is empty; name the Secret that holds it");
  auto value = co_await context.read_secret(ref);
  if (!value)
    co_return value.error().prefixed(field + ": ");
  co_return std::move(*value);
}

}  // namespace certmill::solvers::dns
