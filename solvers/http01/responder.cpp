// The token store and the challenge route.
#include "solvers/http01/responder.hpp"

namespace certmill::solvers {

bool Http01Responder::present(std::string token, std::string key_authorization) {
  if (!valid_token(token))
    return false;
  const std::lock_guard lock(mutex_);
  tokens_.insert_or_assign(std::move(token), std::move(key_authorization));
  return true;
}

void Http01Responder::cleanup(const std::string& token) {
  const std::lock_guard lock(mutex_);
  tokens_.erase(token);
}

std::optional<std::string> Http01Responder::answer(std::string_view token) const {
  if (!valid_token(token))
    return std::nullopt;
  const std::lock_guard lock(mutex_);
  auto it = tokens_.find(std::string(token));
  if (it == tokens_.end())
    return std::nullopt;
  return it->second;
}

std::size_t Http01Responder::size() const {
  const std::lock_guard lock(mutex_);
  return tokens_.size();
}

void Http01Responder::attach(reactor::HttpServer& server) {
  server.route_prefix(std::string(kChallengePath), [this](std::string_view path) {
    if (!serving())
      return reactor::HttpReply{503, "text/plain; charset=utf-8",
                                "this replica is not the leader\n"};
    // RFC 8555 §8.3: the body is the key authorization, nothing else.
    if (auto body = answer(path.substr(kChallengePath.size())))
      return reactor::HttpReply{200, "application/octet-stream", std::move(*body)};
    return reactor::HttpReply{404, "text/plain; charset=utf-8", "no such challenge\n"};
  });
}

}  // namespace certmill::solvers
