// When to try again after a failure: exponential backoff with full jitter,
// with the server's Retry-After as a floor (docs/sync-protocol.md §3.6).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "loyalty/card.hpp"

namespace loyalty::sync {

// uniform(0, min(cap, base * 2^(failures - 1))) for failures >= 1, drawn
// with `uniform01` in [0, 1); zero for no failure. Never overflows.
std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap, double uniform01);

// A Retry-After header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3),
// as a wait from `now`; nullopt when absent or unreadable. Capped at a day.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         Timestamp now);

}  // namespace loyalty::sync
