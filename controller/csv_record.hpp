// Go's encoding/csv for one record, as cert-manager splits list annotations
// (SplitWithEscapeCSV): "a,b" and "\"a,b\",c" alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::controller {

Result<std::vector<std::string>> split_csv(std::string_view text);

}  // namespace certmill::controller
