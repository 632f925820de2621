#include "engine/allocate.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "common/checked.hpp"

namespace loyalty::engine {

void AllocateInto(std::int64_t total, const std::vector<std::int64_t>& weights,
                  std::vector<std::int64_t>& into) {
  const size_t n = weights.size();
  if (n == 0 || total == 0) return;
  std::int64_t sum = 0;
  for (auto w : weights) sum += w;  // callers keep weights a basket's size
  if (sum <= 0) {
    into[0] += total;
    return;
  }
  // Weights past ~3e9 (baskets of tens of millions) would overflow the
  // exact remainder; share by scaled-down weights instead: the parts still
  // add up to the total exactly.
  constexpr std::int64_t kMaxSum = 3'000'000'000;
  if (sum > kMaxSum) {
    const std::int64_t scale = sum / (kMaxSum / 3) + 1;
    std::vector<std::int64_t> scaled(weights.size());
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] > 0 ? std::max<std::int64_t>(weights[i] / scale, 1) : 0;
      any = any || scaled[i] > 0;
    }
    if (!any) scaled[0] = 1;
    AllocateInto(total, scaled, into);
    return;
  }
  // floor(total * w / sum) with its remainder; exact in int64 while the
  // product fits, through MulDiv otherwise.
  std::int64_t given = 0;
  constexpr size_t kSmall = 64;
  std::int64_t remainder_buf[kSmall];
  std::uint32_t order_buf[kSmall];
  std::vector<std::int64_t> remainder_heap;
  std::vector<std::uint32_t> order_heap;
  std::int64_t* remainders = remainder_buf;
  std::uint32_t* order = order_buf;
  if (n > kSmall) {
    remainder_heap.resize(n);
    order_heap.resize(n);
    remainders = remainder_heap.data();
    order = order_heap.data();
  }
  const bool fits = total <= std::numeric_limits<std::int64_t>::max() / std::max<std::int64_t>(sum, 1);
  for (size_t i = 0; i < n; ++i) {
    std::int64_t part = 0;
    std::int64_t rem = 0;
    if (weights[i] > 0) {
      if (fits) {
        const std::int64_t product = total * weights[i];
        part = product / sum;
        rem = product % sum;
      } else {
        // sum <= 3e9 here, so MulDiv is exact and (total % sum) * w fits.
        part = internal::MulDiv(total, weights[i], sum, internal::Rounding::kDown).value_or(0);
        rem = (total % sum) * weights[i] % sum;
      }
    }
    into[i] += part;
    given += part;
    remainders[i] = weights[i] > 0 ? rem : -1;
    order[i] = static_cast<std::uint32_t>(i);
  }
  // What rounding left over (fewer units than weighted lines) goes, one
  // each, to the largest remainders, earlier lines first on ties.
  const auto left = static_cast<size_t>(total - given);
  if (left == 0) return;
  std::partial_sort(order, order + std::min(left, n), order + n,
                    [&](std::uint32_t a, std::uint32_t b) {
                      return remainders[a] != remainders[b] ? remainders[a] > remainders[b]
                                                            : a < b;
                    });
  for (size_t k = 0; k < left && k < n; ++k) ++into[order[k]];
}

std::vector<std::int64_t> Allocate(std::int64_t total,
                                   const std::vector<std::int64_t>& weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  AllocateInto(total, weights, parts);
  return parts;
}

}  // namespace loyalty::engine
