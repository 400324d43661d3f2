// What kube-sim counted (GET /kube-sim/stats): API writes by kind of object,
// the figure "API writes per certificate" is made of.
#pragma once

#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "k8s/http_client.hpp"

namespace certmill::fleet {

struct WriteCounts {
  long total = 0;                       // create, update, patch, delete
  long events = 0;                      // of which on Events
  std::map<std::string, long> by_verb;  // "create certificaterequests" → n
  long reads = 0;                       // get and list
};

boost::asio::awaitable<Result<WriteCounts>> kube_sim_writes(k8s::HttpClient& http);

}  // namespace certmill::fleet
