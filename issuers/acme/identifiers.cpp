// read_order_csr: identifiers and DER from a PEM CSR.
#include "issuers/acme/identifiers.hpp"

#include <algorithm>

#include <openssl/x509.h>

#include "core/pki/csr.hpp"
#include "core/pki/names.hpp"

namespace certmill::issuers::acme {

Result<OrderCsr> read_order_csr(std::string_view csr_pem) {
  auto csr = pki::parse_csr(csr_pem);
  if (!csr)
    return csr.error();
  OrderCsr out;
  const auto add = [&](std::string type, const std::string& value) {
    certmill::acme::Identifier id{.type = std::move(type), .value = value};
    if (std::find(out.identifiers.begin(), out.identifiers.end(), id) == out.identifiers.end())
      out.identifiers.push_back(std::move(id));
  };
  for (const std::string& name : csr->extensions.sans.dns_names)
    add("dns", name);
  for (const std::string& ip : csr->extensions.sans.ip_addresses)
    add("ip", ip);
  if (const std::string& cn = csr->subject.common_name; !cn.empty()) {
    auto raw = pki::parse_ip(cn);
    add(raw ? "ip" : "dns", raw ? pki::format_ip(*raw) : cn);
  }
  if (out.identifiers.empty())
    return Error(Errc::invalid_value, "the CSR names no DNS name or IP address to order");
  const int size = i2d_X509_REQ(csr->req.get(), nullptr);
  if (size <= 0)
    return Error(Errc::invalid_value, "the CSR does not encode as DER");
  out.der.resize(static_cast<std::size_t>(size));
  auto* p = reinterpret_cast<unsigned char*>(out.der.data());
  i2d_X509_REQ(csr->req.get(), &p);
  return out;
}

}  // namespace certmill::issuers::acme
