// A recursive-descent XML reader. Recursion is bounded by kMaxXmlDepth, every
// loop consumes input, and a character reference is at most ten characters,
// so the work is linear in the (bounded) size of the document.
#include "solvers/dns/route53/xml.hpp"

#include <algorithm>
#include <cstdint>

namespace certmill::solvers::route53 {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Anything that cannot end a name or start markup is accepted in one: AWS
// writes ASCII names, and a lenient reader cannot be tricked into more work.
bool is_name_char(char c) {
  return !is_space(c) && std::string_view("/>=<&\"'").find(c) == std::string_view::npos;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A character XML 1.0 allows (§2.2): no NUL, C0 controls, surrogates or
// code points beyond Unicode.
bool is_xml_char(std::uint32_t cp) {
  if (cp < 0x20)
    return cp == '\t' || cp == '\n' || cp == '\r';
  return cp < 0xD800 || (cp > 0xDFFF && cp <= 0x10FFFF && cp != 0xFFFE && cp != 0xFFFF);
}

// "#x1F600" or "#128512"; false when malformed. A reference is at most ten
// characters long, so the value cannot overflow.
bool decode_number(std::string_view ref, std::uint32_t& cp) {
  const bool hex = ref.size() > 1 && ref[1] == 'x';
  const std::string_view digits = ref.substr(hex ? 2 : 1);
  if (digits.empty())
    return false;
  cp = 0;
  for (const char c : digits) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return false;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
  }
  return is_xml_char(cp);
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<XmlElement> document() {
    if (s_.size() > kMaxXmlSize)
      return Error(Errc::invalid_value, "XML document of " + std::to_string(s_.size()) +
                                            " bytes is larger than the " +
                                            std::to_string(kMaxXmlSize) + " accepted");
    if (s_.starts_with("\xEF\xBB\xBF"))
      pos_ = 3;  // a UTF-8 byte order mark
    if (Status s = misc(); !s)
      return s.error();
    if (!starts("<"))
      return error("expected the root element");
    XmlElement root;
    if (Status s = element(root, 1); !s)
      return s.error();
    if (Status s = misc(); !s)
      return s.error();
    if (pos_ != s_.size())
      return error("content after the root element");
    return root;
  }

 private:
  bool starts(std::string_view prefix) const { return s_.substr(pos_).starts_with(prefix); }

  Error error(std::string_view what) const {
    return Error(Errc::invalid_value, "not well-formed XML at offset " + std::to_string(pos_) +
                                          ": " + std::string(what));
  }

  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_]))
      ++pos_;
  }

  // Moves past the next `end`; the text before it is returned.
  Result<std::string_view> through(std::string_view end, std::string_view what) {
    const std::size_t found = s_.find(end, pos_);
    if (found == std::string_view::npos)
      return error(std::string(what) + " is not closed");
    const std::string_view inside = s_.substr(pos_, found - pos_);
    pos_ = found + end.size();
    return inside;
  }

  // Whitespace, comments and processing instructions (the XML declaration
  // among them) outside the root element.
  Status misc() {
    for (;;) {
      skip_space();
      if (starts("<?")) {
        if (auto r = through("?>", "a processing instruction"); !r)
          return r.error();
      } else if (starts("<!--")) {
        if (auto r = through("-->", "a comment"); !r)
          return r.error();
      } else if (starts("<!")) {
        return error("a DOCTYPE or other declaration is not accepted");
      } else {
        return {};
      }
    }
  }

  Result<std::string> name() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_name_char(s_[pos_]))
      ++pos_;
    if (pos_ == start)
      return error("expected a name");
    return std::string(s_.substr(start, pos_ - start));
  }

  // Skips the attributes up to '>' (false) or "/>" (true: an empty element).
  Result<bool> attributes() {
    for (;;) {
      skip_space();
      if (starts("/>")) {
        pos_ += 2;
        return true;
      }
      if (starts(">")) {
        ++pos_;
        return false;
      }
      if (auto n = name(); !n)
        return n.error();
      skip_space();
      if (!starts("="))
        return error("expected '=' after an attribute name");
      ++pos_;
      skip_space();
      if (!starts("\"") && !starts("'"))
        return error("expected a quoted attribute value");
      const char quote[] = {s_[pos_++], '\0'};
      if (auto r = through(quote, "an attribute value"); !r)
        return r.error();
    }
  }

  // At '&': one of the five predefined entities or a character reference.
  Status reference(std::string& out) {
    const std::size_t semicolon = s_.substr(pos_, 11).find(';');
    if (semicolon == std::string_view::npos)
      return error("an entity reference is not terminated by ';'");
    const std::string_view ref = s_.substr(pos_ + 1, semicolon - 1);
    static constexpr std::pair<std::string_view, char> kNamed[] = {
        {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    const auto* named = std::find_if(std::begin(kNamed), std::end(kNamed),
                                     [&](const auto& n) { return n.first == ref; });
    std::uint32_t cp = 0;
    if (named != std::end(kNamed))
      out += named->second;
    else if (ref.starts_with("#") && decode_number(ref, cp))
      append_utf8(out, cp);
    else
      return error("unknown or invalid reference '&" + std::string(ref) + ";'");
    pos_ += semicolon + 1;
    return {};
  }

  // At '<' of a start tag; returns past the matching end tag.
  Status element(XmlElement& out, int depth) {
    if (depth > kMaxXmlDepth)
      return error("elements nested deeper than " + std::to_string(kMaxXmlDepth));
    if (++elements_ > kMaxXmlElements)
      return error("more than " + std::to_string(kMaxXmlElements) + " elements");
    ++pos_;
    auto n = name();
    if (!n)
      return n.error();
    out.name = std::move(*n);
    auto empty = attributes();
    if (!empty)
      return empty.error();
    if (*empty)
      return {};
    for (;;) {
      if (pos_ == s_.size())
        return error("<" + out.name + "> is not closed");
      if (starts("</")) {
        pos_ += 2;
        auto closing = name();
        if (!closing)
          return closing.error();
        skip_space();
        if (*closing != out.name || !starts(">"))
          return error("</" + *closing + "> does not close <" + out.name + ">");
        ++pos_;
        return {};
      }
      if (starts("<!--")) {
        if (auto r = through("-->", "a comment"); !r)
          return r.error();
      } else if (starts("<![CDATA[")) {
        pos_ += 9;
        auto r = through("]]>", "a CDATA section");
        if (!r)
          return r.error();
        out.text += *r;
      } else if (starts("<?")) {
        if (auto r = through("?>", "a processing instruction"); !r)
          return r.error();
      } else if (starts("<!")) {
        return error("a declaration is not accepted inside an element");
      } else if (starts("<")) {
        if (Status s = element(out.children.emplace_back(), depth + 1); !s)
          return s;
      } else if (starts("&")) {
        if (Status s = reference(out.text); !s)
          return s;
      } else {
        const std::size_t end = std::min(s_.find_first_of("<&", pos_), s_.size());
        out.text += s_.substr(pos_, end - pos_);
        pos_ = end;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
};

}  // namespace

std::string_view XmlElement::local_name() const {
  const std::size_t colon = name.find(':');
  return colon == std::string::npos ? std::string_view(name)
                                    : std::string_view(name).substr(colon + 1);
}

const XmlElement* XmlElement::child(std::string_view local) const {
  for (const XmlElement& c : children)
    if (c.local_name() == local)
      return &c;
  return nullptr;
}

Result<XmlElement> parse_xml(std::string_view document) {
  return Parser(document).document();
}

}  // namespace certmill::solvers::route53
