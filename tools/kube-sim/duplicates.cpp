// A SAX pass over the body with Boost.JSON's basic_parser.
#include "tools/kube-sim/duplicates.hpp"

#include <set>

#include <boost/json/basic_parser_impl.hpp>

namespace certmill::kubesim {

namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

struct Frame {
  bool object;
  std::set<std::string> keys;
  std::string key;
};

struct Handler {
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  std::vector<Frame> stack;
  std::string partial;
  std::vector<std::string> found;

  std::string path() const {
    std::string p;
    for (const auto& f : stack) {
      if (!f.object)
        continue;
      if (!p.empty())
        p += '.';
      p += f.key;
    }
    return p;
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    stack.push_back({false, {}, {}});
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    stack.pop_back();
    return true;
  }
  bool on_object_begin(error_code&) {
    stack.push_back({true, {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    stack.pop_back();
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    partial.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    partial.append(s.data(), s.size());
    auto& f = stack.back();
    f.key = std::move(partial);
    partial.clear();
    if (!f.keys.insert(f.key).second)
      found.push_back(path());
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

std::vector<std::string> duplicate_fields(std::string_view text) {
  json::basic_parser<Handler> p{json::parse_options{}};
  error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  if (ec)
    return {};
  return std::move(p.handler().found);
}

}  // namespace certmill::kubesim
