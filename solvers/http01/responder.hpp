// The HTTP-01 responder: certmill answers the CA's validation requests
// itself (no solver pods), from its own listener (--http01-listen-address).
// Any shard presents and cleans up tokens; the listener's shard answers any
// token, so the store is shared and locked. Only tokens made of base64url
// characters are ever looked up: a path with "/" or ".." is a 404.
// A standby replica answers none (503) until it leads: the Service that
// routes challenges may still name it while a new leader takes over.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "reactor/http_server.hpp"
#include "solvers/http01/token.hpp"

namespace certmill::solvers {

class Http01Responder {
 public:
  // Serves `key_authorization` for `token` until cleanup(token). False for
  // a token that is not base64url (RFC 8555 §8.1), which no CA would send.
  bool present(std::string token, std::string key_authorization);
  void cleanup(const std::string& token);
  std::optional<std::string> answer(std::string_view token) const;
  std::size_t size() const;

  // Adds the challenge route to `server`; the responder must outlive it.
  void attach(reactor::HttpServer& server);

  // Whether the route answers at all; a responder serves from the start.
  void set_serving(bool serving) { serving_.store(serving); }
  bool serving() const { return serving_.load(); }

 private:
  std::atomic<bool> serving_{true};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> tokens_;
};

}  // namespace certmill::solvers
