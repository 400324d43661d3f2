// JSON merge patch (RFC 7386) and JSON patch (RFC 6902) on Boost.JSON values.
#pragma once

#include <string>

#include <boost/json.hpp>

namespace certmill::kubesim {

void merge_patch(boost::json::value& target, const boost::json::value& patch);
// Applies every operation or none; on failure returns false and says why.
bool json_patch(boost::json::value& target, const boost::json::array& ops, std::string& error);

}  // namespace certmill::kubesim
