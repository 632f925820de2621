// Splitting a whole number over lines by weight, exactly: the parts sum to
// the total (largest remainder), so per-line figures never drift.
#pragma once

#include <cstdint>
#include <vector>

namespace loyalty::engine {

// Parts of `total` (>= 0) proportional to `weights` (>= 0). When every
// weight is 0 everything goes to the first line.
std::vector<std::int64_t> Allocate(std::int64_t total,
                                   const std::vector<std::int64_t>& weights);
// Adds the parts to `into` (same size as weights), allocating nothing in
// the common case; the quote's hot loop calls it once per rule.
void AllocateInto(std::int64_t total, const std::vector<std::int64_t>& weights,
                  std::vector<std::int64_t>& into);

}  // namespace loyalty::engine
