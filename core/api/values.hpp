// Field types shared by the API structs beyond strings and numbers.
#pragma once

#include <string>

#include "core/duration.hpp"
#include "core/time.hpp"

namespace certmill::api {

using certmill::Duration;
using certmill::MicroTime;
using certmill::Time;

// Binary data carried as base64 in JSON (Secret `data`); holds the raw bytes.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

// A JSON value certmill passes through without reading it (a webhook solver's
// `config`, a pod template), kept as compact JSON text.
struct RawJson {
  std::string text;
  bool operator==(const RawJson&) const = default;
};

}  // namespace certmill::api
