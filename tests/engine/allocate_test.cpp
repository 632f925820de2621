#include "engine/allocate.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace loyalty::engine {
namespace {

std::int64_t Sum(const std::vector<std::int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

TEST(AllocateTest, PartsAddUpAndFollowTheWeights) {
  EXPECT_EQ(Allocate(10, {300, 250, 0, 450}), (std::vector<std::int64_t>{3, 3, 0, 4}));
  EXPECT_EQ(Allocate(7, {0, 0}), (std::vector<std::int64_t>{7, 0}));
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<std::int64_t> w(1 + rng() % 60);
    for (auto& x : w) x = static_cast<std::int64_t>(rng() % 10000);
    const auto total = static_cast<std::int64_t>(rng() % 100000);
    const auto parts = Allocate(total, w);
    ASSERT_EQ(Sum(parts), total);
    const std::int64_t weight_sum = Sum(w);
    for (size_t i = 0; i < w.size(); ++i) {
      if (weight_sum == 0) break;
      // Each part is within one unit of its exact share.
      const double exact = static_cast<double>(total) * static_cast<double>(w[i]) /
                           static_cast<double>(weight_sum);
      ASSERT_LE(std::abs(static_cast<double>(parts[i]) - exact), 1.0 + 1e-9);
    }
  }
}

TEST(AllocateTest, HugeTotalsAndWeightsStillAddUpExactly) {
  const std::int64_t total = INT64_MAX / 4;
  const std::vector<std::int64_t> w{INT64_MAX / 8, INT64_MAX / 16, 3, 0};
  const auto parts = Allocate(total, w);
  EXPECT_EQ(Sum(parts), total);
  EXPECT_GT(parts[0], parts[1]);
  EXPECT_EQ(parts[3], 0);
}

}  // namespace
}  // namespace loyalty::engine
