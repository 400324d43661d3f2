// A blocking API session for the operator commands: one reactor shard, one
// client on it, and calls that wait for their answer. A command is a short
// sequence of reads and a few writes; nothing here needs to be concurrent.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/client.hpp"
#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "tools/certmill/ops/ops_flags.hpp"

namespace certmill::ops {

class Session {
 public:
  // Loads the configuration as kubectl does (--kubeconfig, KUBECONFIG,
  // in-cluster, ~/.kube/config; --context) and starts the shard.
  static Result<std::unique_ptr<Session>> open(const OpsFlags& flags);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // -n, else the context's namespace.
  const std::string& namespace_() const { return namespace_name_; }

  template <class T>
  Result<T> get(std::string_view ns, std::string_view name) {
    return wait([&]() { return client_->get<T>(ns, name); });
  }

  // Every page of a list; `ns` empty lists across all namespaces, and a
  // `label_selector` ("tier=front") keeps only the objects it selects.
  template <class T>
  Result<std::vector<T>> list(std::string_view ns, std::string label_selector = {}) {
    std::vector<T> items;
    k8s::ListOptions options{.label_selector = std::move(label_selector),
                             .field_selector = {},
                             .resource_version = {},
                             .continue_token = {},
                             .limit = 500};
    do {
      auto page = wait([&]() { return client_->list<T>(ns, options); });
      if (!page)
        return page.error();
      for (auto& item : page->items)
        items.push_back(std::move(item));
      options.continue_token = page->continue_token;
    } while (!options.continue_token.empty());
    return items;
  }

  template <class T>
  Result<T> create(const T& object) {
    return wait([&]() { return client_->create<T>(object); });
  }

  // A JSON merge patch of the status subresource: the commands that set a
  // condition send the whole conditions list with the resourceVersion they
  // read, so a concurrent writer makes it a 409 rather than a lost update.
  template <class T>
  Result<T> patch_status(std::string_view ns, std::string_view name, std::string patch) {
    return wait([&]() { return client_->merge_patch<T>(ns, name, std::move(patch), true); });
  }

  // The body of a GET of `path` (e.g. "/version"), an api_error unless 2xx.
  Result<std::string> get_json(std::string path);

  // The body of a JSON POST to `path` (a dry-run create), an api_error unless 2xx.
  Result<std::string> post_json(std::string path, std::string body);

 private:
  Session(std::string ns);

  template <class F>
  auto wait(F f) {
    return reactor::run_and_wait(reactor_.shard(0).executor(), std::move(f));
  }

  reactor::Reactor reactor_{1};
  std::unique_ptr<k8s::Client> client_;
  std::string namespace_name_;
};

}  // namespace certmill::ops
