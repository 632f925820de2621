// Overflow-checked int64 arithmetic, portable (no compiler builtins).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace loyalty::internal {

inline std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  if ((b > 0 && a > kMax - b) || (b < 0 && a < kMin - b)) return std::nullopt;
  return a + b;
}

inline std::optional<std::int64_t> CheckedSub(std::int64_t a, std::int64_t b) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  if ((b < 0 && a > kMax + b) || (b > 0 && a < kMin + b)) return std::nullopt;
  return a - b;
}

inline std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  if (a == 0 || b == 0) return 0;
  if (a > 0) {
    if (b > 0 ? a > kMax / b : b < kMin / a) return std::nullopt;
  } else {
    if (b > 0 ? a < kMin / b : (a != 0 && b < kMax / a)) return std::nullopt;
  }
  return a * b;
}

enum class Rounding { kDown, kUp, kNearest };

// floor/ceil/half-up of value * num / den for value >= 0, num >= 0, den > 0,
// without overflowing in the intermediate product.
inline std::optional<std::int64_t> MulDiv(std::int64_t value, std::int64_t num,
                                          std::int64_t den, Rounding rounding) {
  if (value < 0 || num < 0 || den <= 0) return std::nullopt;
  const std::int64_t q = value / den;
  const std::int64_t r = value % den;
  auto whole = CheckedMul(q, num);
  if (!whole) return std::nullopt;
  // r < den and num may be large: split num as well to keep r*num in range.
  const std::int64_t nq = num / den;
  const std::int64_t nr = num % den;
  auto part1 = CheckedMul(r, nq);
  if (!part1) return std::nullopt;
  // r * nr < den * den; safe while den < 3e9, which holds for any real rate.
  if (den > 3'000'000'000LL) return std::nullopt;
  const std::int64_t rem_product = r * nr;
  std::int64_t frac = rem_product / den;
  const std::int64_t frac_rem = rem_product % den;
  switch (rounding) {
    case Rounding::kDown: break;
    case Rounding::kUp: if (frac_rem != 0) ++frac; break;
    case Rounding::kNearest: if (frac_rem * 2 >= den) ++frac; break;
  }
  auto sum = CheckedAdd(*whole, *part1);
  if (!sum) return std::nullopt;
  return CheckedAdd(*sum, frac);
}

}  // namespace loyalty::internal
