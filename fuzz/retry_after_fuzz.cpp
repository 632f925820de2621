// Retry-After header values (delay-seconds or an HTTP-date).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sync/backoff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view value(reinterpret_cast<const char*>(data), size);
  // A fixed "now" (2026-03-01T12:00:00Z) keeps a finding reproducible.
  const loyalty::Timestamp now{std::chrono::milliseconds(1'772'366'400'000)};
  auto wait = loyalty::sync::ParseRetryAfter(value, now);
  if (wait && (wait->count() < 0 || *wait > std::chrono::hours(24))) __builtin_trap();
  return 0;
}
