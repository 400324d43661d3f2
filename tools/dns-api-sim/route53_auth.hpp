// Checking a request's SigV4 signature as AWS does: the Authorization
// header's credential scope, signed headers and signature, recomputed with
// the secret of its access key id and the request's X-Amz-Date.
#pragma once

#include <string>
#include <vector>

#include "reactor/http_listener.hpp"

namespace certmill::dnssim {

struct AwsKey {
  std::string access_key_id;
  std::string secret;
  std::string session_token;  // for temporary keys
};

// Empty when the signature holds; else AWS's error code and message
// ("SignatureDoesNotMatch", ...).
std::pair<std::string, std::string> check_sigv4(const reactor::ServerRequest& request,
                                                const std::vector<AwsKey>& keys,
                                                std::string_view service);

// "AKID:SECRET" or "AKID:SECRET:TOKEN".
std::vector<AwsKey> aws_keys(const std::vector<std::string>& credentials);

}  // namespace certmill::dnssim
