// The Route 53 and STS messages a DNS-01 provider needs, built and read
// without I/O: the change of a TXT record set, a change's status, the TXT
// values a name has, the hosted zones of a name, AWS's error bodies, and the
// temporary credentials of AssumeRole and AssumeRoleWithWebIdentity.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "solvers/dns/route53/sigv4.hpp"
#include "solvers/dns/route53/txt_set.hpp"

namespace certmill::solvers::route53 {

inline constexpr std::string_view kRoute53Xmlns = "https://route53.amazonaws.com/doc/2013-04-01/";
inline constexpr std::string_view kStsVersion = "2011-06-15";

// The ChangeResourceRecordSetsRequest document. Errors: no name, no value.
Result<std::string> change_request_body(const TxtChange& change);

enum class ChangeStatus { pending, insync };
struct ChangeInfo {
  std::string id = {};  // "C2682N5HXP0BZ4", without "/change/": GetChange's path takes it
  ChangeStatus status = ChangeStatus::pending;
};
// A ChangeResourceRecordSetsResponse or a GetChangeResponse.
Result<ChangeInfo> parse_change_info(std::string_view body);

// The TXT set named `name` in a ListResourceRecordSetsResponse (sets with a
// routing policy, which have a SetIdentifier, are not certmill's); none when
// the page does not hold it.
Result<std::optional<TxtRecordSet>> parse_txt_record_set(std::string_view body,
                                                         std::string_view name);

struct HostedZone {
  std::string id = {};    // "Z111111QQQQQQQ", without "/hostedzone/"
  std::string name = {};  // "example.com."
  bool private_zone = false;
};
// A ListHostedZonesByNameResponse (or ListHostedZonesResponse).
Result<std::vector<HostedZone>> parse_hosted_zones(std::string_view body);
// The public zone named `zone`, as cert-manager picks it; none if absent.
std::optional<std::string> public_zone_id(const std::vector<HostedZone>& zones,
                                          std::string_view zone);

// What an AWS error body says. Route 53's InvalidChangeBatch has no Type or
// Code: its code is "InvalidChangeBatch" and its messages are joined by "; ".
struct AwsError {
  std::string type = {};  // "Sender" (the request is at fault) or "Receiver"
  std::string code = {};  // "NoSuchHostedZone", "Throttling", "AccessDenied"
  std::string message = {};
};
Result<AwsError> parse_error(std::string_view body);

// STS query-protocol bodies (application/x-www-form-urlencoded). STS takes
// AssumeRoleWithWebIdentity unsigned: the token is the proof.
std::string assume_role_body(std::string_view role_arn, std::string_view session_name);
std::string assume_role_with_web_identity_body(std::string_view role_arn,
                                               std::string_view session_name,
                                               std::string_view web_identity_token);

struct TemporaryCredentials {
  Credentials credentials = {};
  Time expiration = {};
};
// An AssumeRoleResponse or an AssumeRoleWithWebIdentityResponse.
Result<TemporaryCredentials> parse_assumed_role(std::string_view body);

}  // namespace certmill::solvers::route53
