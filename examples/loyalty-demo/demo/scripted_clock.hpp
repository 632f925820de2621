// The demo's world: a clock the script moves (so a purchase three weeks ago
// is out of its return window this morning) and account ids that read the
// same on every run (so the output can be compared and documented).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "loyalty/env.hpp"

namespace loyalty_demo {

class ScriptedClock final : public loyalty::Clock {
 public:
  loyalty::Timestamp Now() const override {
    return loyalty::Timestamp(std::chrono::milliseconds(now_ms_.load()));
  }
  void Set(std::chrono::sys_days day, std::chrono::hours hour, std::chrono::minutes minute) {
    now_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                  (day + hour + minute).time_since_epoch())
                  .count();
  }

 private:
  std::atomic<std::int64_t> now_ms_{0};
};

class CountingIds final : public loyalty::IdSource {
 public:
  std::string NewId() override {
    char text[16];
    std::snprintf(text, sizeof text, "%04X", static_cast<unsigned>(++issued_));
    return text;
  }

 private:
  std::atomic<unsigned> issued_{0};
};

}  // namespace loyalty_demo
