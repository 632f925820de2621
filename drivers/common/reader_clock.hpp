// The time stamped on a CardRead: the injected Clock, else the system clock.
#pragma once

#include "loyalty/env.hpp"

namespace loyalty::readers {

inline Timestamp ReadTime(const Clock* clock) {
  if (clock != nullptr) return clock->Now();
  static const SystemClock system_clock;
  return system_clock.Now();
}

}  // namespace loyalty::readers
