// kube-sim's count of API writes (objects and Events), read once it has
// stopped moving: the point from which a test asserts that nothing more is
// written. Header-only.
#pragma once

#include <chrono>
#include <thread>

#include "tests/controller_live/harness.hpp"

namespace certmill::test {

// The count once it has not moved for a second and a half (at most 50 s).
inline long settled_writes(ControllerHarness& h) {
  long last = -1;
  int still = 0;
  for (int i = 0; i < 200 && still < 6; ++i) {
    const auto w = h.writes();
    const long now = w.objects + w.events;
    still = now == last ? still + 1 : 0;
    last = now;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return last;
}

}  // namespace certmill::test
