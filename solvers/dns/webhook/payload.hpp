// cert-manager's webhook solver API (acme.cert-manager.io/v1alpha1
// ChallengePayload): the request certmill sends to present or clean up a
// record, and the webhook's answer read back. Pure; a hostile answer is an
// error.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::solvers::webhook {

struct ChallengeRequest {
  std::string uid;
  bool present = true;   // Present, else CleanUp
  std::string dns_name;  // "www.example.test" or "*.example.test"
  std::string key;       // the TXT value
  std::string resource_namespace;
  std::string resolved_fqdn;  // with the trailing dot, as cert-manager sends it
  std::string resolved_zone;  // likewise
  bool allow_ambient_credentials = false;
  std::string config_json;  // the solver's config, passed untouched; empty sends none
};

std::string request_body(const ChallengeRequest& request);

// The answer's verdict: success, or an error with the webhook's message.
Status read_response(std::string_view body, std::string_view uid);

// A random RFC 4122 version 4 UUID, for the request's uid.
std::string random_uid();

}  // namespace certmill::solvers::webhook
