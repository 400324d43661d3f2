// The management API, plain HTTP on loopback, for tests to steer the front:
//   POST /renewal-window   {"certID": optional, "start": RFC 3339, "end": RFC 3339,
//                           "explanationURL": optional https URL}
//   POST /replaced         {"certID": "..."}: new orders replacing it get 409
//   POST /replaces-answer  {"answer": "accept" | "malformed" | "alreadyReplaced"}
//   POST /clock            {"advance_seconds": N}: moves the rate limits' time
//   GET  /stats            requests by kind, refusals, renewals, issued certificates
// Answers are JSON; a request it cannot use gets 400 {"error": "..."}.
#pragma once

#include "tools/acme-front/front.hpp"
#include "tools/acme-front/server.hpp"

namespace certmill::acmefront {

Response manage(Front& front, const Request& request);

}  // namespace certmill::acmefront
