// spec.renewal as the Certificate cache keeps it: windows are rare, so a
// Certificate holds at most one shared pointer to them, and every Certificate
// with the same windows shares one compiled copy.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/pki/renewal_windows.hpp"

namespace certmill::controller {

using RenewalWindows = std::vector<pki::RenewalWindow>;

// A window's zone name: an empty timezone is UTC, as Go's LoadLocation("").
std::string_view window_zone(const api::RenewalWindowSpec& window);

// policy: Disabled.
bool renewal_disabled(const api::CertificateSpec& spec);

// The spec's windows compiled (cron parsed, zone loaded), interned: equal
// windows give the same pointer, so cached views compare equal. Null without
// windows, or when one of them does not compile (validation reports it, and
// the Certificate is not issued meanwhile).
std::shared_ptr<const RenewalWindows> renewal_windows(const api::CertificateSpec& spec);

}  // namespace certmill::controller
