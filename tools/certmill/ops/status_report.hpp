// `certmill status certificate`'s text, built from the objects alone (no I/O,
// so tests feed it objects): the verdict first, then cmctl's sections (the
// Certificate, its Secret, CertificateRequest, Order, Challenges, Events).
#pragma once

#include <string>

#include "tools/certmill/ops/status_verdict.hpp"
#include "tools/certmill/ops/terminal.hpp"

namespace certmill::ops {

struct StatusReport {
  std::string text;
  bool well = false;
};

StatusReport status_report(const StatusInput& in, Time now, const Paint& paint);

}  // namespace certmill::ops
