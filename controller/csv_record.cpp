// One record of Go's encoding/csv: quoted fields, doubled quotes, and the
// errors Go gives for a stray quote.
#include "controller/csv_record.hpp"

namespace certmill::controller {

Result<std::vector<std::string>> split_csv(std::string_view text) {
  std::vector<std::string> fields(1);
  std::size_t i = 0;
  bool field_start = true;
  while (i < text.size()) {
    const char c = text[i];
    if (field_start && c == '"') {
      ++i;
      for (;;) {
        if (i >= text.size())
          return Error(Errc::invalid_value, "extraneous or missing \" in quoted-field");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            fields.back() += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        fields.back() += text[i++];
      }
      if (i < text.size() && text[i] != ',')
        return Error(Errc::invalid_value, "extraneous or missing \" in quoted-field");
      field_start = false;
      continue;
    }
    if (c == ',') {
      fields.emplace_back();
      field_start = true;
    } else if (c == '"') {
      return Error(Errc::invalid_value, "bare \" in non-quoted-field");
    } else {
      fields.back() += c;
      field_start = false;
    }
    ++i;
  }
  return fields;
}

}  // namespace certmill::controller
