// Internal to core/acme: the codec hook that lets the object decoders read an
// embedded problem document (an order's or a challenge's `error`) leniently.
#pragma once

#include "core/acme/problem.hpp"
#include "core/json/codec.hpp"

namespace certmill::json {

// Not an object is a type error; inside, decode_problem's leniency applies.
Status decode_value(Element e, const Path& path, acme::Problem& out);

}  // namespace certmill::json
