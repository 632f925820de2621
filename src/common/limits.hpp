// Every limit on what reaches the library from outside, in one place.
// docs/limits.md says why each is what it is; tests/common/limits_test.cpp
// and the tests beside each check try each at the limit and one past it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace loyalty::limits {

// --- amounts -----------------------------------------------------------
// One entry's points, and any account's balance or debt: 10^15. int64
// holds 9.2 * 10^18, so sums of thousands of these (SQLite's SUM, a
// book's credits) cannot overflow.
inline constexpr std::int64_t kMaxPoints = 1'000'000'000'000'000;
// One line, one sale, one refund or money movement, and the money on a gift
// card or wallet, in minor units: 10^15 (ten trillion euros).
inline constexpr std::int64_t kMaxAmountMinor = 1'000'000'000'000'000;
// Units of one basket line.
inline constexpr std::int64_t kMaxQuantity = 1'000'000;

// --- text (bytes of UTF-8) ---------------------------------------------
inline constexpr std::size_t kMaxOpIdBytes = 128;    // op ids
inline constexpr std::size_t kMaxIdBytes = 128;      // account, cashier, operator, reward ids, coupon codes
inline constexpr std::size_t kMaxNameBytes = 200;    // a member's name
inline constexpr std::size_t kMaxSkuBytes = 100;     // a product code
inline constexpr std::size_t kMaxCategoryBytes = 100;
inline constexpr std::size_t kMaxReasonBytes = 500;  // reasons and notes

// --- counts --------------------------------------------------------------
inline constexpr std::size_t kMaxBasketLines = 1000;
inline constexpr std::size_t kMaxRewardsPerSale = 100;  // reward ids on one sale
inline constexpr std::size_t kMaxCouponsPerSale = 100;  // coupon codes on one sale

// --- the program file ----------------------------------------------------
inline constexpr std::size_t kMaxProgramBytes = std::size_t{1024} * 1024;
inline constexpr int kMaxProgramDepth = 32;         // nesting of arrays and objects
inline constexpr std::size_t kMaxProgramItems = 5000;  // entries of any one list (rules, rewards, ...)

// --- error messages ----------------------------------------------------
// At most this many bytes of a refused value are quoted back.
inline constexpr std::size_t kMaxQuotedBytes = 40;

}  // namespace loyalty::limits
