// A self-signed serving certificate for kube-sim, generated at start-up, and
// the random bearer token clients must present.
#pragma once

#include <string>

namespace certmill::kubesim {

struct ServingCert {
  std::string cert_pem;
  std::string key_pem;
};

// ECDSA P-256, valid for 127.0.0.1, ::1 and localhost. Throws on OpenSSL
// failure (start-up only).
ServingCert make_serving_cert();
std::string random_token();

}  // namespace certmill::kubesim
