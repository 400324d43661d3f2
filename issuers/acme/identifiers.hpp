// What a new order asks for, read from the CSR it will be finalized with: the
// DNS names and IP addresses (RFC 8555 §7.4, RFC 8738), and the CSR's DER for
// the finalize request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/acme/problem.hpp"
#include "core/result.hpp"

namespace certmill::issuers::acme {

struct OrderCsr {
  // SAN DNS names, then SAN IP addresses, then the subject's common name when
  // no SAN repeats it (CAs reject a CSR whose CN is not among the order's
  // identifiers); duplicates dropped, order kept.
  std::vector<certmill::acme::Identifier> identifiers;
  std::string der;
};

// Verifies the CSR's signature; a CSR without any name is an error.
Result<OrderCsr> read_order_csr(std::string_view csr_pem);

}  // namespace certmill::issuers::acme
