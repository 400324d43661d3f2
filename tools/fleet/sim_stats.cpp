// kube-sim's request accounting, summed into writes and reads.
#include "tools/fleet/sim_stats.hpp"

#include <simdjson.h>

namespace certmill::fleet {

boost::asio::awaitable<Result<WriteCounts>> kube_sim_writes(k8s::HttpClient& http) {
  k8s::HttpRequest request;
  request.target = "/kube-sim/stats";
  auto answer = co_await http.send(std::move(request), std::chrono::seconds(10));
  if (!answer)
    co_return answer.error();
  if (answer->status != 200)
    co_return Error(Errc::invalid_value,
                    "GET /kube-sim/stats answered " + std::to_string(answer->status));
  simdjson::dom::parser parser;
  simdjson::dom::array requests;
  if (parser.parse(answer->body)["requests"].get(requests) != simdjson::SUCCESS)
    co_return Error(Errc::invalid_json, "kube-sim's stats have no requests array");
  WriteCounts counts;
  for (simdjson::dom::element r : requests) {
    std::string_view verb, resource;
    int64_t count = 0;
    if (r["verb"].get(verb) || r["resource"].get(resource) || r["count"].get(count))
      continue;
    if (verb == "get" || verb == "list" || verb == "watch") {
      counts.reads += count;
      continue;
    }
    counts.total += count;
    if (resource == "events")
      counts.events += count;
    counts.by_verb[std::string(verb) + " " + std::string(resource)] += count;
  }
  co_return counts;
}

}  // namespace certmill::fleet
