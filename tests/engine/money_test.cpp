#include <gtest/gtest.h>

#include <limits>

#include "loyalty/money.hpp"

namespace loyalty {
namespace {

Currency Eur() { return *Currency::FromCode("EUR"); }

TEST(CurrencyTest, KnowsExponents) {
  EXPECT_EQ(Currency::FromCode("JPY")->exponent(), 0);
  EXPECT_EQ(Currency::FromCode("EUR")->exponent(), 2);
  EXPECT_EQ(Currency::FromCode("KWD")->exponent(), 3);
}

TEST(CurrencyTest, UnknownCodeIsNamed) {
  auto c = Currency::FromCode("EUX");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("EUX"), std::string::npos);
}

TEST(MoneyTest, ParsesInTheCurrencyExponent) {
  EXPECT_EQ(Money::Parse("12.34", Eur())->minor(), 1234);
  EXPECT_EQ(Money::Parse("12", Eur())->minor(), 1200);
  EXPECT_EQ(Money::Parse("0.5", Eur())->minor(), 50);
  EXPECT_EQ(Money::Parse("1200", *Currency::FromCode("JPY"))->minor(), 1200);
  EXPECT_EQ(Money::Parse("1.005", *Currency::FromCode("KWD"))->minor(), 1005);
}

TEST(MoneyTest, RefusesMoreDecimalsThanTheCurrencyHas) {
  auto m = Money::Parse("1.005", Eur());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("more decimals"), std::string::npos);
  EXPECT_FALSE(Money::Parse("12,30", Eur()).ok());
  EXPECT_FALSE(Money::Parse("", Eur()).ok());
  EXPECT_FALSE(Money::Parse("1e3", Eur()).ok());
}

TEST(MoneyTest, OverflowIsAnErrorNotAWrapAround) {
  auto m = Money::Parse("99999999999999999999", Eur());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kAmountOverflow);
  Money big(std::numeric_limits<std::int64_t>::max(), Eur());
  EXPECT_EQ(big.Plus(Money(1, Eur())).status().code(), StatusCode::kAmountOverflow);
  EXPECT_EQ(big.Times(2).status().code(), StatusCode::kAmountOverflow);
}

TEST(MoneyTest, MixingCurrenciesIsRefused) {
  Money eur(100, Eur());
  Money usd(100, *Currency::FromCode("USD"));
  EXPECT_EQ(eur.Plus(usd).status().code(), StatusCode::kCurrencyMismatch);
}

TEST(MoneyTest, PrintsWithTheRightNumberOfDecimals) {
  EXPECT_EQ(Money(1234, Eur()).ToString(), "12.34 EUR");
  EXPECT_EQ(Money(5, Eur()).ToString(), "0.05 EUR");
  EXPECT_EQ(Money(-50, *Currency::FromCode("KWD")).ToString(), "-0.050 KWD");
  EXPECT_EQ(Money(1200, *Currency::FromCode("JPY")).ToString(), "1200 JPY");
}

}  // namespace
}  // namespace loyalty
