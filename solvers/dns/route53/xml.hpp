// A small XML reader for the bodies AWS answers with (Route 53's REST-XML and
// STS's query protocol): elements and their text, nothing more. Attributes
// are skipped, and a DOCTYPE is refused, so no entity is ever expanded; size,
// depth and element count are bounded, so a hostile or broken body is an
// Error, never a crash, a hang or a huge allocation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::route53 {

struct XmlElement {
  std::string name = {};  // as written, with any namespace prefix ("s:Fault")
  std::string text = {};  // the character data directly inside, references decoded
  std::vector<XmlElement> children = {};

  // The name without its namespace prefix: AWS's elements are matched by it.
  std::string_view local_name() const;
  // The first child whose local name is `local`, or null.
  const XmlElement* child(std::string_view local) const;
};

// A Route 53 page holds at most 300 record sets; 4 MiB is far above any
// answer certmill asks for.
inline constexpr std::size_t kMaxXmlSize = 4u << 20;
inline constexpr int kMaxXmlDepth = 32;
inline constexpr std::size_t kMaxXmlElements = 100'000;

// The document's root element. An XML declaration, comments and processing
// instructions around it are skipped; CDATA sections are text.
Result<XmlElement> parse_xml(std::string_view document);

}  // namespace certmill::solvers::route53
