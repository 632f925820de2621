// The reference server's reading of push bodies: what fuzz/server_push_fuzz
// found, kept as tests.
#include "push_body.hpp"

#include <gtest/gtest.h>

#include <string>

namespace loyalty::server {
namespace {

std::string Body(const std::string& first_seq, const std::string& seq,
                 const std::string& points) {
  const std::string mac(64, 'a');
  return R"({"protocol": 1, "terminal_id": "T0042", "batch_id": "T0042-1-a", "first_seq": )" +
         first_seq + R"(, "last_seq": )" + seq + R"(, "prev_mac": ")" + std::string(64, '0') +
         R"(", "entries": [{"seq": )" + seq +
         R"(, "op_id": "POS-1", "kind": "earn", "account_id": "A1", "points": )" + points +
         R"(, "amount_minor": 2599, "currency": "EUR", "at": 1767225600000, "note": "", "mac": ")" +
         mac + R"("}]})";
}

TEST(PushBody, AWellFormedBatchReads) {
  auto batch = ParsePush(Body("1", "1", "120"));
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->entries.at(0).points, 120);
}

// A float far outside int64 was cast to int64 (undefined behaviour).
TEST(PushBody, AHugeFloatIsRefusedNamingTheField) {
  auto batch = ParsePush(Body("1", "1", "-1.22222e+86"));
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(batch.status().message().find("points"), std::string::npos)
      << batch.status().message();
  EXPECT_FALSE(ParsePush(Body("1", "1", "1.5")).ok()) << "a fraction is not a point count";
  EXPECT_FALSE(ParsePush(Body("1", "1", "18446744073709551615")).ok()) << "beyond int64";
}

TEST(PushBody, ProtocolMustBeTheInteger1) {
  std::string body = Body("1", "1", "120");
  body.replace(body.find("\"protocol\": 1"), 13, "\"protocol\": 1e300");
  EXPECT_FALSE(ParsePush(body).ok());
}

// first_seq + index overflowed int64 for a batch starting near its end.
TEST(PushBody, FirstSeqNearTheEndOfInt64IsRefused) {
  auto batch = ParsePush(Body("9223372036854775807", "9223372036854775807", "120"));
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("first_seq"), std::string::npos);
}

}  // namespace
}  // namespace loyalty::server
