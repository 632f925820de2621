#include "engine/card_rules.hpp"

#include <gtest/gtest.h>

namespace loyalty::engine {
namespace {

CardId Id(const std::string& s) { return *CardId::Parse(s); }

TEST(CardIdTest, NormalisesSpacesDashesAndCase) {
  EXPECT_EQ(Id("9900 1234-5678 ab").value(), "990012345678AB");
  EXPECT_EQ(Id("9900123456789017").Masked(), "************9017");
}

TEST(CardIdTest, GarbageIsRefusedWithoutEchoingIt) {
  auto c = CardId::Parse("4111111111111111^DOE");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().find("4111"), std::string::npos);
  EXPECT_FALSE(CardId::Parse("12").ok());
}

TEST(CardRulesTest, PaymentCardNumbersAreRefusedUnlessAllowed) {
  CardNumberFormat format;
  Status s = CheckCardNumber(format, Id("4111111111111111"));
  EXPECT_EQ(s.code(), StatusCode::kPaymentCardRefused);
  EXPECT_EQ(s.message().find("4111111111111111"), std::string::npos);
  format.allow_payment_cards = true;
  EXPECT_TRUE(CheckCardNumber(format, Id("4111111111111111")).ok());
  // Not Luhn-valid, so not a payment card.
  EXPECT_TRUE(CheckCardNumber(CardNumberFormat{}, Id("4111111111111112")).ok());
}

TEST(CardRulesTest, LengthPrefixAndCheckDigitFollowTheProgram) {
  CardNumberFormat format;
  format.min_length = 16;
  format.max_length = 16;
  format.prefixes = {"99"};
  format.luhn = true;
  format.allow_payment_cards = true;
  EXPECT_TRUE(CheckCardNumber(format, Id("9900123456789017")).ok());
  EXPECT_NE(CheckCardNumber(format, Id("9900123456789018")).message().find("check digit"),
            std::string::npos);
  EXPECT_NE(CheckCardNumber(format, Id("8800123456789010")).message().find("prefix"),
            std::string::npos);
  EXPECT_NE(CheckCardNumber(format, Id("99001234")).message().find("8 characters"),
            std::string::npos);
}

}  // namespace
}  // namespace loyalty::engine
