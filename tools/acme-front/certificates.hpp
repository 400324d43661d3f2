// What the front knows about the certificates issued through it, by ARI
// CertID: their validity (learned from downloads), the renewal windows it
// suggests, and which ones a later order already replaced.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/acme/ari.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::acmefront {

using acme::RenewalWindow;

// Let's Encrypt's shape: the window opens two thirds into the lifetime and
// lasts a ninth of it (days 60 to 70 of a 90-day certificate).
RenewalWindow default_window(Time not_before, Time not_after);

class CertificateBook {
 public:
  // A downloaded chain: its leaf's CertID and validity. Errors when the leaf
  // does not parse or has no AKI keyIdentifier.
  Result<std::string> learn(std::string_view chain_pem);

  // For one CertID (which then answers even if never downloaded), or for
  // every certificate without a window of its own.
  void set_window(const std::optional<std::string>& cert_id, RenewalWindow window);
  // nullopt when the CertID is unknown.
  std::optional<RenewalWindow> window(const std::string& cert_id) const;

  void mark_replaced(const std::string& cert_id) { replaced_.insert(cert_id); }
  bool replaced(const std::string& cert_id) const { return replaced_.count(cert_id) != 0; }
  std::size_t known() const { return validity_.size(); }

 private:
  std::map<std::string, std::pair<Time, Time>> validity_;
  std::map<std::string, RenewalWindow> windows_;
  std::optional<RenewalWindow> every_window_;
  std::set<std::string> replaced_;
};

}  // namespace certmill::acmefront
