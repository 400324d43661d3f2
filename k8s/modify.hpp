// modify: read an object, decide the change on what was read, write it back
// with that resourceVersion; on 409 Conflict read again and decide again.
// The decision is re-made on fresh state every time, never blindly retried.
//
//   co_await modify<api::Certificate>(client, ns, name, [](api::Certificate& c) {
//     if (c.status.revision == 3) return false;  // nothing to write
//     c.status.revision = 3;
//     return true;
//   }, Target::Status);
#pragma once

#include <boost/asio/awaitable.hpp>

#include "k8s/client.hpp"

namespace certmill::k8s {

enum class Target { Object, Status };

template <class T, class Change>
asio::awaitable<Result<T>> modify(Client& client, std::string_view ns, std::string_view name,
                                  Change change, Target target = Target::Object,
                                  int priority = kPriorityRoutine, int attempts = 5) {
  for (int attempt = 1;; ++attempt) {
    auto current = co_await client.get<T>(ns, name);
    if (!current)
      co_return current.error();
    if (!change(*current))
      co_return current;
    auto written = target == Target::Status ? co_await client.update_status(*current, priority)
                                            : co_await client.update(*current, priority);
    if (written || !is_conflict(written.error()) || attempt >= attempts)
      co_return written;
  }
}

}  // namespace certmill::k8s
