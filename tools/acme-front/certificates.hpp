// What the front knows about the certificates issued through it, by ARI
// CertID: their validity, names and account (learned from downloads), the
// renewal windows it suggests, and which ones a later order already replaced.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/ari.hpp"
#include "core/acme/problem.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::acmefront {

using acme::RenewalWindow;

// Boulder's default window (RenewalInfoSimple, core/objects.go; Boulder pull
// request 8024): centred a third of the validity before notAfter (half of it
// for certificates valid less than 10 days), 1% of the validity either side.
// The validity counts notAfter's own second. Whole seconds. For a 90-day
// certificate: days 59.1 to 60.9.
RenewalWindow default_window(Time not_before, Time not_after);

// Boulder's form of a serial number in its details: 36 lowercase hex digits
// ("%036x"), from a CertID's serial part; empty when that is not base64url.
std::string boulder_serial(std::string_view cert_id);

struct KnownCertificate {
  Time not_before;
  Time not_after;
  std::string account;  // the kid of the order it was issued for; empty if unseen
  std::vector<acme::Identifier> identifiers;  // its DNS and IP SANs
};

// Why an order's `replaces` is refused, in Boulder's status, type and words.
struct ReplacesRefusal {
  unsigned status = 400;
  std::string type;  // after "urn:ietf:params:acme:error:"
  std::string detail;
};

class CertificateBook {
 public:
  // A downloaded chain, issued for `account`: its leaf's CertID. Errors when
  // the leaf does not parse or has no AKI keyIdentifier.
  Result<std::string> learn(std::string_view chain_pem, std::string account = {});

  // For one CertID (which then answers even if never downloaded), or for
  // every certificate without a window of its own; `explanation_url`, when
  // set, is sent with it as RFC 9773's explanationURL.
  void set_window(const std::optional<std::string>& cert_id, RenewalWindow window,
                  std::string explanation_url = {});
  // nullopt when the CertID is unknown.
  std::optional<RenewalWindow> window(const std::string& cert_id) const;
  // The explanationURL sent with the window; empty for none.
  std::string explanation_url(const std::string& cert_id) const;

  void mark_replaced(const std::string& cert_id) { replaced_.insert(cert_id); }
  bool replaced(const std::string& cert_id) const { return replaced_.count(cert_id) != 0; }
  std::size_t known() const { return known_.size(); }
  const KnownCertificate* find(const std::string& cert_id) const;

  // Boulder's checks of a new order's `replaces`, in its order: not replaced
  // already (409 alreadyReplaced), issued (404 malformed), to this account
  // (403 unauthorized), sharing an identifier with the order (400 malformed).
  std::optional<ReplacesRefusal> refuse_replacement(
      const std::string& cert_id, const std::string& account,
      const std::vector<acme::Identifier>& identifiers) const;

 private:
  std::map<std::string, KnownCertificate> known_;
  std::map<std::string, RenewalWindow> windows_;
  std::optional<RenewalWindow> every_window_;
  std::map<std::string, std::string> explanations_;
  std::string every_explanation_;
  std::set<std::string> replaced_;
};

}  // namespace certmill::acmefront
