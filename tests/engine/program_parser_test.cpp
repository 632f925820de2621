#include "engine/program_parser.hpp"

#include <gtest/gtest.h>

namespace loyalty::engine {
namespace {

TEST(ProgramParserTest, ReadsAWholeProgram) {
  auto p = ParseProgram(R"({
    "format": 1, "id": "super", "version": 7, "name": "Super Points",
    "currency": "EUR", "time_zone": "Europe/Paris",
    "earn": {"points": 2, "per": "1.50", "rounding": "nearest"},
    "points": {"pending_days": 14, "expiry_days": 365},
    "cards": {"min_length": 16, "max_length": 16, "prefixes": ["99"],
              "check_digit": "luhn", "allow_payment_cards": true}})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, "super");
  EXPECT_EQ(p->version, 7);
  EXPECT_EQ(p->rules[0].points, 2);
  EXPECT_EQ(p->rules[0].per_minor, 150);
  EXPECT_EQ(p->rules[0].rounding, Rounding::kNearest);
  EXPECT_EQ(p->pending_days, 14);
  EXPECT_EQ(p->expiry_days, 365);
  EXPECT_TRUE(p->cards.luhn);
  EXPECT_EQ(p->cards.prefixes, std::vector<std::string>{"99"});
}

TEST(ProgramParserTest, ATypoIsNamedWithASuggestion) {
  auto p = ParseProgram(R"({"format": 1, "id": "x", "version": 1, "currency": "EUR",
                            "earn": {"pionts": 1, "per": "1.00"}})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kProgramInvalid);
  EXPECT_NE(p.status().message().find("earn.pionts: unknown field (did you mean 'points'?)"),
            std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message().find("earn.points: is required"), std::string::npos);
}

TEST(ProgramParserTest, ReportsEveryProblemWithItsPath) {
  auto p = ParseProgram(R"({"format": 1, "id": "", "version": 0, "currency": "EURO",
                            "earn": {"points": 0, "per": "-1", "rounding": "sideways"},
                            "points": {"pending_days": 30, "expiry_days": 10}})");
  ASSERT_FALSE(p.ok());
  const std::string m = p.status().message();
  for (const char* expected :
       {"id: must not be empty", "version: must be between 1", "currency: 'EURO'",
        "earn.points: must be > 0", "earn.per:", "earn.rounding: must be",
        "points.expiry_days: must be longer"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << m;
  }
}

TEST(ProgramParserTest, BrokenJsonSaysWhere) {
  auto p = ParseProgram(R"({"format": 1, "id": "x",)");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("not valid JSON at byte"), std::string::npos);
}

// fuzz/program_fuzz: a number beyond double's range made nlohmann throw
// out_of_range, which ParseProgram let escape.
TEST(ProgramParserTest, NumberOutOfAnyRangeIsInvalidNotThrown) {
  auto p = ParseProgram(R"({"format": 8000000000000000000000000000713226315987390008e17390008})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kProgramInvalid);
  EXPECT_NE(p.status().message().find("out of range"), std::string::npos);
}

// Dates and clock times are read digit by digit (sscanf took a sign or a
// space before a field).
TEST(ProgramParserTest, DatesAndTimesTakeDigitsOnly) {
  auto with_when = [](const std::string& when) {
    return ParseProgram(R"({"format": 1, "id": "x", "version": 1, "currency": "EUR",
        "rules": [{"id": "r", "points": 1, "per": "1.00", "when": {)" + when + "}}]}");
  };
  EXPECT_TRUE(with_when(R"("from": "2026-03-01", "from_time": "9:30")").ok());
  EXPECT_FALSE(with_when(R"("from": "2026-+3-01")").ok());
  EXPECT_FALSE(with_when(R"("from": "2026- 3-01")").ok());
  EXPECT_FALSE(with_when(R"("from": "2026-03-01x")").ok());
  EXPECT_FALSE(with_when(R"("from": "20260-03-01")").ok());
  EXPECT_FALSE(with_when(R"("from_time": "-1:30")").ok());
  EXPECT_FALSE(with_when(R"("from_time": "09:300")").ok());
}

TEST(ProgramParserTest, WrongTypesAreNamed) {
  auto p = ParseProgram(R"({"format": 1, "id": "x", "version": "3", "currency": "EUR",
                            "earn": {"points": 1.5, "per": 100}})");
  ASSERT_FALSE(p.ok());
  const std::string m = p.status().message();
  EXPECT_NE(m.find("version: must be a whole number"), std::string::npos) << m;
  EXPECT_NE(m.find("earn.points: must be a whole number"), std::string::npos) << m;
  EXPECT_NE(m.find("earn.per: must be a string"), std::string::npos) << m;
}

}  // namespace
}  // namespace loyalty::engine
