// Replaying shared/kube-api-golden recordings: loading a recorded request and
// answer, and comparing kube-sim's answer with the recording by status code,
// Status reason and code, and the shape of objects, lists and events
// (timestamps, uids and versions differ by nature and are not compared).
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/kube_sim/client.hpp"

namespace certmill::test {

struct Recorded {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-cased names
  std::string body;
};

std::string golden_dir();
HttpRequest recorded_request(const std::string& name, const std::string& token);
Recorded recorded_response(const std::string& name);

enum class Shape {
  full,        // every key at every level (values only for kind/apiVersion/reason/code/type)
  top,         // top-level keys and kind only
  status_only  // status code, and for a Status: reason and code
};

// Differences between the recording and `actual`, one line each.
std::vector<std::string> compare(const Recorded& expected, const HttpResponse& actual, Shape shape);
std::vector<std::string> compare_json(const boost::json::value& expected,
                                      const boost::json::value& actual, Shape shape);

}  // namespace certmill::test
