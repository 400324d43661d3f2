// JsonWriter: appends compact JSON to a string, with commas and escaping
// handled. The encoders of every API type write through it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace certmill::json {

class JsonWriter {
 public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view name);
  void string(std::string_view value);
  void number(int64_t value);
  void boolean(bool value);
  void null();
  // Appends text that is already valid JSON (a RawJson field).
  void raw(std::string_view json);

  const std::string& str() const noexcept { return out_; }
  std::string take() noexcept { return std::move(out_); }

 private:
  void open(char c);
  void close(char c);
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

// Appends `value` as a quoted JSON string.
void append_quoted(std::string& out, std::string_view value);

}  // namespace certmill::json
