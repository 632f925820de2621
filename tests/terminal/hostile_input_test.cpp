// What an attacker at the till sends through the API: numbers past the
// limits, text that is too long, not UTF-8 or full of escape codes, a
// program nested or grown without end, a program in another currency.
// Each is refused with the code a POS can branch on, the ledger unchanged
// and still verifying; each limit is tried at the limit and one past it.
#include <gtest/gtest.h>

#include <climits>

#include "common/limits.hpp"
#include "common/text.hpp"
#include "engine/program_parser.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using limits::kMaxAmountMinor;
using limits::kMaxPoints;

using testing::Card;
using testing::Eur;

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(t_->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  }
  void TearDown() override {
    if (!t_.terminal) return;
    auto r = t_->Verify();
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->ok) << r->problem;
  }
  Points Balance() { return t_->Lookup(Card("LC0001"))->balance; }

  testing::TestTerminal t_;
};

void ExpectRefused(const Status& s, StatusCode code, const std::string& field) {
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find(field), std::string::npos) << s.message();
  // A refused value is never copied back whole.
  EXPECT_LT(s.message().size(), 400u) << s.message().substr(0, 400);
}

TEST_F(HostileInputTest, AdjustmentsPastTheLimitAreAmountOverflow) {
  ExpectRefused(t_->Adjust({"a1", Card("LC0001"), INT64_MAX, "op", "x"}).status(),
                StatusCode::kAmountOverflow, "points");
  ExpectRefused(t_->Adjust({"a2", Card("LC0001"), INT64_MIN, "op", "x"}).status(),
                StatusCode::kAmountOverflow, "points");
  ExpectRefused(t_->Adjust({"a3", Card("LC0001"), kMaxPoints + 1, "op", "x"}).status(),
                StatusCode::kAmountOverflow, "points");
  ASSERT_TRUE(t_->Adjust({"a4", Card("LC0001"), kMaxPoints, "op", "x"}).ok());
  EXPECT_EQ(Balance(), kMaxPoints);
  // The balance itself is bounded: one more point would pass it.
  ExpectRefused(t_->Adjust({"a5", Card("LC0001"), 1, "op", "x"}).status(),
                StatusCode::kAmountOverflow, "balance");
  EXPECT_EQ(Balance(), kMaxPoints);
}

TEST_F(HostileInputTest, SaleLinesPastTheLimitAreAmountOverflow) {
  ExpectRefused(t_->Commit({"s1", Card("LC0001"), Eur({INT64_MAX}), 0}).status(),
                StatusCode::kAmountOverflow, "amount_minor");
  ExpectRefused(t_->Commit({"s2", Card("LC0001"), Eur({kMaxAmountMinor + 1}), 0}).status(),
                StatusCode::kAmountOverflow, "amount_minor");
  ExpectRefused(t_->Commit({"s3", Card("LC0001"), Eur({kMaxAmountMinor, 1}), 0}).status(),
                StatusCode::kAmountOverflow, "total");
  ASSERT_TRUE(t_->Commit({"s4", Card("LC0001"), Eur({kMaxAmountMinor}), 0}).ok());
  EXPECT_EQ(Balance(), kMaxAmountMinor / 100);
  ExpectRefused(t_->Redeem({"r1", Card("LC0001"), INT64_MAX, "x"}).status(),
                StatusCode::kAmountOverflow, "points");
  ExpectRefused(t_->LoadGiftCard({"g1", Card("GC0001"), INT64_MAX}).status(),
                StatusCode::kAmountOverflow, "amount_minor");
}

TEST_F(HostileInputTest, NamesAreLimited) {
  const std::string at_limit(limits::kMaxNameBytes, 'n');
  EXPECT_TRUE(t_->Enroll({"e2", Card("LC0002"), "", at_limit}).ok());
  ExpectRefused(t_->Enroll({"e3", Card("LC0003"), "", at_limit + "n"}).status(),
                StatusCode::kInvalidArgument, "name");
  ExpectRefused(t_->Enroll({"e4", Card("LC0004"), "", std::string(1 << 20, 'n')}).status(),
                StatusCode::kInvalidArgument, "name");
}

TEST_F(HostileInputTest, SkusAndLinesAreLimited) {
  Basket basket = Eur({100});
  basket.lines[0].sku = std::string(limits::kMaxSkuBytes, 's');
  EXPECT_TRUE(t_->Commit({"s1", Card("LC0001"), basket, 0}).ok());
  basket.lines[0].sku += "s";
  ExpectRefused(t_->Commit({"s2", Card("LC0001"), basket, 0}).status(),
                StatusCode::kInvalidArgument, "sku");

  Basket full{"EUR", std::vector<BasketLine>(limits::kMaxBasketLines, BasketLine{"x", "", 1, 1})};
  EXPECT_TRUE(t_->Commit({"s3", Card("LC0001"), full, 0}).ok());
  full.lines.push_back(full.lines[0]);
  ExpectRefused(t_->Commit({"s4", Card("LC0001"), full, 0}).status(),
                StatusCode::kInvalidArgument, "lines");
  ExpectRefused(t_->QuoteBasket(Card("LC0001"), full).status(), StatusCode::kInvalidArgument,
                "lines");
}

TEST_F(HostileInputTest, OpIdsAreLimited) {
  const std::string at_limit(limits::kMaxOpIdBytes, 'o');
  EXPECT_TRUE(t_->Adjust({at_limit, Card("LC0001"), 5, "op", "x"}).ok());
  ExpectRefused(t_->Adjust({at_limit + "o", Card("LC0001"), 5, "op", "x"}).status(),
                StatusCode::kInvalidArgument, "op_id");
}

TEST_F(HostileInputTest, InvalidUtf8IsInvalidArgumentWhereverTextEnters) {
  const std::string bad = "caf\xc3";  // cut in the middle of a character
  ExpectRefused(t_->Enroll({"e2", Card("LC0002"), "", bad}).status(),
                StatusCode::kInvalidArgument, "name");
  ExpectRefused(t_->Enroll({"e\xff", Card("LC0002"), "", "Bo"}).status(),
                StatusCode::kInvalidArgument, "op_id");
  ExpectRefused(t_->Redeem({"r1", Card("LC0001"), 1, bad}).status(),
                StatusCode::kInvalidArgument, "reason");
  ExpectRefused(t_->Adjust({"a1", Card("LC0001"), 5, "op", bad}).status(),
                StatusCode::kInvalidArgument, "reason");
  Basket basket = Eur({100});
  basket.lines[0].sku = bad;
  ExpectRefused(t_->Commit({"s1", Card("LC0001"), basket, 0}).status(),
                StatusCode::kInvalidArgument, "sku");
  // An overlong '/' and a surrogate are not UTF-8 either.
  EXPECT_FALSE(text::IsUtf8("\xc0\xaf"));
  EXPECT_FALSE(text::IsUtf8("\xed\xa0\x80"));
  EXPECT_TRUE(text::IsUtf8("Zoë, Ōsaka, 北京, 🎉"));
}

// Taking back a load is checked like every other request, before the ledger
// is read: its text and its amount.
TEST_F(HostileInputTest, ALoadVoidIsCheckedBeforeTheLedgerIsRead) {
  LoadVoid bad_reason{"v1", "load-1", std::nullopt, "op", "caf\xc3", ""};
  ExpectRefused(t_->VoidLoad(bad_reason).status(), StatusCode::kInvalidArgument, "reason");
  LoadVoid painted{"v1", "load-1", std::nullopt, "op\x1b[2J", "", ""};
  ExpectRefused(t_->VoidLoad(painted).status(), StatusCode::kInvalidArgument, "operator_id");
  LoadVoid huge{"v1", "load-1", kMaxAmountMinor + 1, "op", "", ""};
  ExpectRefused(t_->VoidLoad(huge).status(), StatusCode::kAmountOverflow, "amount_minor");
  LoadVoid long_target{"v1", std::string(limits::kMaxOpIdBytes + 1, 'l'), std::nullopt, "op",
                       "", ""};
  ExpectRefused(t_->VoidLoad(long_target).status(), StatusCode::kInvalidArgument, "load_op_id");
}

// A name that would paint "available 99999 points" on the till.
TEST_F(HostileInputTest, ControlCharactersAreRefusedAndStrippedForDisplay) {
  const std::string paint = "Ada\x1b[2J\x1b[Havailable 99999 points\nx";
  ExpectRefused(t_->Enroll({"e2", Card("LC0002"), "", paint}).status(),
                StatusCode::kInvalidArgument, "control character");
  const std::string shown = text::ForDisplay(paint);
  EXPECT_EQ(shown.find('\x1b'), std::string::npos);
  EXPECT_EQ(shown.find('\n'), std::string::npos);
  EXPECT_EQ(text::ForDisplay("Zoë\xc2\x9b" "x"), "Zoë?x");  // C1 CSI too
}

TEST(HostileProgramTest, DeepNestingIsRefusedNotACrash) {
  const int depth = 100'000;
  std::string deep = R"({"format": 1, "x": )" + std::string(depth, '[') +
                     std::string(depth, ']') + "}";
  auto program = engine::ParseProgram(deep);
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.status().code(), StatusCode::kProgramInvalid);
  EXPECT_NE(program.status().message().find("nested deeper"), std::string::npos);
  EXPECT_LT(program.status().message().size(), 400u);
}

TEST(HostileProgramTest, NestingAtTheLimitIsReadAndOnePastIsRefused) {
  // The document's own object is the first level.
  auto nested = [](int levels) {
    return testing::DefaultProgramJson(R"("x": )" + std::string(levels - 1, '[') +
                                       std::string(levels - 1, ']'));
  };
  auto at_limit = engine::ParseProgram(nested(limits::kMaxProgramDepth));
  ASSERT_FALSE(at_limit.ok());  // "x" is an unknown field, found after reading
  EXPECT_NE(at_limit.status().message().find("unknown field"), std::string::npos)
      << at_limit.status().message();
  auto past = engine::ParseProgram(nested(limits::kMaxProgramDepth + 1));
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("nested deeper"), std::string::npos)
      << past.status().message();
}

TEST(HostileProgramTest, SizeAtTheLimitLoadsAndOnePastIsRefused) {
  std::string program = testing::DefaultProgramJson();
  program.insert(program.size() - 1, limits::kMaxProgramBytes - program.size(), ' ');
  ASSERT_EQ(program.size(), limits::kMaxProgramBytes);
  EXPECT_TRUE(engine::ParseProgram(program).ok());
  program.insert(program.size() - 1, " ");
  auto past = engine::ParseProgram(program);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), StatusCode::kProgramInvalid);
  EXPECT_NE(past.status().message().find("larger than the limit"), std::string::npos);
}

TEST(HostileProgramTest, ListsAtTheLimitAreReadAndOnePastRefused) {
  auto list = [](std::size_t n) {
    std::string items;
    for (std::size_t i = 0; i < n; ++i) items += (i ? ",1" : "1");
    return testing::DefaultProgramJson(R"("x": [)" + items + "]");
  };
  auto at_limit = engine::ParseProgram(list(limits::kMaxProgramItems));
  ASSERT_FALSE(at_limit.ok());
  EXPECT_NE(at_limit.status().message().find("unknown field"), std::string::npos);
  auto past = engine::ParseProgram(list(limits::kMaxProgramItems + 1));
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("more entries than the limit"), std::string::npos);
}

// 100,000 rules (7 MB) are refused by the size limit before they are read.
TEST(HostileProgramTest, HundredThousandRulesAreRefused) {
  std::string rules;
  for (int i = 0; i < 100'000; ++i) {
    rules += (i ? "," : "") + std::string(R"({"id": "r)") + std::to_string(i) +
             R"(", "points": 1, "per": "1.00", "sku": ["A)" + std::to_string(i) + R"("]})";
  }
  auto program = engine::ParseProgram(testing::DefaultProgramJson(R"("rules": [)" + rules + "]"));
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.status().code(), StatusCode::kProgramInvalid);
}

TEST(HostileProgramTest, AProgramInAnotherCurrencyCannotOpenTheLedger) {
  testing::TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok());
  t.Close();
  std::string usd = testing::DefaultProgramJson();
  usd.replace(usd.find("EUR"), 3, "USD");
  testing::WriteFile(t.options.program_path, usd);
  auto opened = Terminal::Open(t.options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCurrencyMismatch);
  EXPECT_NE(opened.status().message().find("USD"), std::string::npos);
  EXPECT_NE(opened.status().message().find("EUR"), std::string::npos);
}

}  // namespace
}  // namespace loyalty
