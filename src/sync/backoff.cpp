#include "sync/backoff.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>

namespace loyalty::sync {

using std::chrono::milliseconds;

milliseconds BackoffDelay(int failures, milliseconds base, milliseconds cap,
                          double uniform01) {
  if (failures <= 0) return milliseconds(0);
  // Doubling stops once it passes the cap, so 2^failures cannot overflow.
  milliseconds ceiling = base;
  for (int i = 1; i < failures && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double u = std::clamp(uniform01, 0.0, 1.0);
  return milliseconds(static_cast<std::int64_t>(u * static_cast<double>(ceiling.count())));
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value, Timestamp now) {
  constexpr milliseconds kDay(86'400'000);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (value.size() > 6) return kDay;
    return std::min(kDay, milliseconds(std::stoll(std::string(value)) * 1000));
  }
  // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::int64_t at_ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  const std::int64_t wait = at_ms - now.time_since_epoch().count();
  return std::clamp(milliseconds(wait), milliseconds(0), kDay);
}

}  // namespace loyalty::sync
