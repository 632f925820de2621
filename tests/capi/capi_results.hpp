// Reading loyalty_result values in the C ABI tests: a failed read is a test
// failure with loyalty_last_error(), and a result is freed at scope end.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "loyalty/loyalty.h"

namespace loyalty::capi_testing {

inline std::int64_t Int(const loyalty_result* r, int key) {
  std::int64_t v = -999;
  EXPECT_EQ(loyalty_result_int(r, key, &v), LOYALTY_OK) << loyalty_last_error();
  return v;
}

inline std::string Str(const loyalty_result* r, int key) {
  const char* s = nullptr;
  EXPECT_EQ(loyalty_result_string(r, key, &s), LOYALTY_OK) << loyalty_last_error();
  return s ? s : "<null>";
}

inline const loyalty_result* Item(const loyalty_result* r, int key, size_t i) {
  const loyalty_result* item = nullptr;
  EXPECT_EQ(loyalty_result_item_at(r, key, i, &item), LOYALTY_OK) << loyalty_last_error();
  return item;
}

// Frees the result at the end of the scope.
struct Owned {
  loyalty_result* r = nullptr;
  ~Owned() { loyalty_result_free(r); }
  loyalty_result** out() { return &r; }
  const loyalty_result* get() const { return r; }
};

}  // namespace loyalty::capi_testing
