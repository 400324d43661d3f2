// Helpers for the k8s client's tests against a running kube-sim: a client on a
// reactor shard, and running a coroutine there from the test thread.
#pragma once

#include <memory>
#include <stdexcept>

#include "k8s/client.hpp"
#include "k8s/kubeconfig.hpp"
#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/kube_sim.hpp"

namespace certmill::test {

inline k8s::ClientConfig client_config(const KubeSim& sim) {
  auto config = k8s::load_client_config(sim.kubeconfig, "", k8s::process_environment());
  if (!config)
    throw std::runtime_error("kube-sim's kubeconfig: " + config.error().message());
  return std::move(*config);
}

inline std::unique_ptr<k8s::Client> make_client(reactor::Shard& shard,
                                                const k8s::ClientConfig& config) {
  auto http = k8s::HttpClient::create(shard.executor(), config);
  if (!http)
    throw std::runtime_error("HttpClient: " + http.error().message());
  return std::make_unique<k8s::Client>(std::move(*http), std::chrono::seconds(10));
}

// Runs `make()`'s coroutine on `shard` and waits for its result.
template <class F>
auto run_on(reactor::Shard& shard, F make) {
  return reactor::run_and_wait(shard.executor(), std::move(make));
}

}  // namespace certmill::test
