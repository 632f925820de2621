#include "engine/allocate.hpp"

#include <algorithm>
#include <numeric>

#include "common/checked.hpp"

namespace loyalty::engine {

std::vector<std::int64_t> Allocate(std::int64_t total,
                                   const std::vector<std::int64_t>& weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (weights.empty() || total == 0) return parts;
  std::int64_t sum = 0;
  for (auto w : weights) sum += w;  // callers keep weights a basket's size
  if (sum <= 0) {
    parts[0] = total;
    return parts;
  }
  std::vector<std::pair<std::int64_t, size_t>> remainders;
  std::int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    // floor(total * w / sum) and its remainder, without overflow.
    const auto share = internal::MulDiv(total, weights[i], sum, internal::Rounding::kDown);
    parts[i] = share.value_or(0);
    given += parts[i];
    // Remainder ordering key: (total * w) mod sum, computed the same way.
    const std::int64_t rem_q = total % sum;
    const auto rem = internal::MulDiv(rem_q, weights[i], 1, internal::Rounding::kDown);
    remainders.push_back({rem ? *rem % sum : 0, i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total && k < remainders.size(); ++k, ++given) {
    ++parts[remainders[k].second];
  }
  return parts;
}

}  // namespace loyalty::engine
