// What the ACME client reports of each HTTP request it sends, for whoever
// counts them (the controller's certmanager_http_acme_client_request_count
// and _duration_seconds): one report per request sent to the CA, including
// badNonce retries, nonce HEADs and directory GETs. The labels are the ones
// cert-manager's instrumented transport gives them. issuers/ has no metrics
// library, so the controller implements the interface.
#pragma once

#include <string>
#include <string_view>

namespace certmill::issuers::acme {

struct RequestLabels {
  std::string scheme;  // "https"
  std::string host;    // host[:port] as the URL writes it
  std::string path;    // the URL's path cut to its first two segments
  std::string method;  // GET, HEAD, POST
  std::string status;  // "201", or "999" when no answer came
  bool operator==(const RequestLabels&) const = default;
};

// cert-manager's pathProcessor: the path up to its third "/", so an
// object's ID does not make a series of its own ("/acme/new-order/abc" is
// "/acme/new-order", "/dir" stays "/dir"). Where an ID comes within the
// first two segments (Pebble's "/authZ/<id>") it is cut too, which
// cert-manager does not do: a series per authorization cost certmill 17 KiB
// each (the Summary's windows), 63 MiB for 500 certificates from Pebble.
std::string trim_path(std::string_view path);

// The labels of a `method` request to `url` answered with `status`; 0 means
// no answer (a network or TLS failure, the deadline, cancellation).
RequestLabels request_labels(std::string_view method, std::string_view url, unsigned status);

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // On the client's shard, once the answer or the failure is in; `seconds`
  // from sending to then (connecting included).
  virtual void observe(const RequestLabels& labels, double seconds) = 0;
};

}  // namespace certmill::issuers::acme
