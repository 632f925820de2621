// What /metrics answers, in the Prometheus text format (version 0.0.4):
// this process's counters (pushes, pulls, entries by result, push time),
// and gauges read from the store that every process shares (each
// terminal's head and lag). docs/operations.md lists them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store.hpp"

namespace loyalty::server {

class Metrics {
 public:
  // A push answered with `status`; `tally` what it did to its entries.
  void CountPush(int status, const PushTally& tally, double seconds);
  void CountPull(int status);

  // The exposition: counters, then the store's gauges at `now_ms`.
  std::string Render(const std::vector<TerminalState>& terminals, std::int64_t now_ms) const;

 private:
  mutable std::mutex mutex_;
  std::map<int, std::int64_t> pushes_;  // by HTTP status
  std::map<int, std::int64_t> pulls_;
  PushTally entries_;                   // summed
  std::int64_t replayed_ = 0;
  double push_seconds_ = 0;
  std::int64_t timed_pushes_ = 0;
};

}  // namespace loyalty::server
