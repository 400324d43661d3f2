// `certmill inspect secret`'s text, after cmctl's: the leaf certificate's
// fields, the chain with each certificate's expiry, and the private key by
// type and size only. Pure: tests feed it a Secret.
#pragma once

#include <string>

#include "core/api/secret.hpp"
#include "tools/certmill/ops/terminal.hpp"

namespace certmill::ops {

struct SecretReport {
  std::string text;
  bool well = false;  // a certificate that is valid now and, if there is a key, matches it
};

SecretReport secret_report(const api::Secret& secret, Time now, const Paint& paint);

}  // namespace certmill::ops
