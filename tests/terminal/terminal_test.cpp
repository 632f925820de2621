#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

TEST(TerminalTest, EnrolEarnAndLookUp) {
  TestTerminal t;
  auto enrolled = t->Enroll({"e1", Card("LC0001"), "", "Ada Lovelace"});
  ASSERT_TRUE(enrolled.ok()) << enrolled.status().ToString();
  EXPECT_FALSE(enrolled->account_id.empty());
  auto sale = t->Commit({"r-1001", Card("LC0001"), Eur({1240, 399}), 0});
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(sale->earned, 16);
  auto view = t->Lookup(Card("lc-0001"));
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->name, "Ada Lovelace");
  EXPECT_EQ(view->available, 16);
  EXPECT_EQ(view->pending, 0);
  EXPECT_EQ(view->card_masked, "**0001");
}

TEST(TerminalTest, BalanceIsTheLookupsPoints) {
  TestTerminal t(testing::DefaultProgramJson(R"("points": {"pending_days": 14})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({2000}), 0}).ok());
  t.clock.AdvanceDays(15);
  ASSERT_TRUE(t->Commit({"s2", Card("LC0001"), Eur({700}), 0}).ok());
  auto balance = t->Balance(Card("LC0001"));
  auto view = t->Lookup(Card("LC0001"));
  ASSERT_TRUE(balance.ok() && view.ok());
  EXPECT_EQ(balance->available, 20);
  EXPECT_EQ(balance->pending, 7);
  EXPECT_EQ(balance->available, view->available);
  EXPECT_EQ(balance->balance, view->balance);
  EXPECT_EQ(t->Balance(Card("LC0404")).status().code(), StatusCode::kUnknownCard);
}

TEST(TerminalTest, SecondCardOnTheSameAccountSharesTheBalance) {
  TestTerminal t;
  auto first = t->Enroll({"e1", Card("LC0001"), "", "Ada"});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(t->Enroll({"e2", Card("LC0002"), first->account_id, ""}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0002"), Eur({5000}), 0}).ok());
  EXPECT_EQ(t->Lookup(Card("LC0001"))->available, 50);
  auto again = t->Enroll({"e3", Card("LC0002"), "", "Eve"});
  EXPECT_EQ(again.status().code(), StatusCode::kCardAlreadyEnrolled);
  auto bad_account = t->Enroll({"e4", Card("LC0003"), "NOPE", ""});
  EXPECT_EQ(bad_account.status().code(), StatusCode::kNotFound);
}

TEST(TerminalTest, UnknownCardIsNamedMasked) {
  TestTerminal t;
  auto view = t->Lookup(Card("LC9999"));
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.status().code(), StatusCode::kUnknownCard);
  EXPECT_NE(view.status().message().find("**9999"), std::string::npos);
  auto sale = t->Commit({"s1", Card("LC9999"), Eur({100}), 0});
  EXPECT_EQ(sale.status().code(), StatusCode::kUnknownCard);
}

TEST(TerminalTest, PaymentCardNumberIsRefusedAsLoyaltyId) {
  TestTerminal t;
  auto e = t->Enroll({"e1", Card("4111 1111 1111 1111"), "", "Mallory"});
  EXPECT_EQ(e.status().code(), StatusCode::kPaymentCardRefused);
}

TEST(TerminalTest, RedeemNeverGoesBelowZero) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({4000}), 0}).ok());
  auto too_much = t->Redeem({"r1", Card("LC0001"), 50, "mug"});
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.status().code(), StatusCode::kInsufficientPoints);
  EXPECT_NE(too_much.status().message().find("50 asked, 40 available"), std::string::npos)
      << too_much.status().message();
  auto ok = t->Redeem({"r2", Card("LC0001"), 40, "mug"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->after.available, 0);
  EXPECT_EQ(t->Redeem({"r3", Card("LC0001"), -5, "x"}).status().code(),
            StatusCode::kAmountNegative);
}

TEST(TerminalTest, PointsAsATenderLowerWhatTheSaleEarns) {
  TestTerminal t(testing::DefaultProgramJson(R"("tender": {"point_value": "0.01"})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({3000}), 0}).ok());
  // 25 points pay 0.25 EUR; the 9.75 EUR left earn 9 points.
  auto sale = t->Commit({"s2", Card("LC0001"), Eur({1000}), 25, {}});
  ASSERT_TRUE(sale.ok()) << sale.status().ToString();
  EXPECT_EQ(sale->redeemed, 25);
  EXPECT_EQ(sale->discount_minor, 25);
  EXPECT_EQ(sale->earned, 9);
  EXPECT_EQ(sale->after.available, 14);
  auto too_much = t->Commit({"s3", Card("LC0001"), Eur({1000}), 15, {}});
  EXPECT_EQ(too_much.status().code(), StatusCode::kInsufficientPoints);
}

TEST(TerminalTest, ProgramWithoutTenderRefusesPointsAsPayment) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({3000}), 0, {}}).ok());
  auto sale = t->Commit({"s2", Card("LC0001"), Eur({1000}), 25, {}});
  EXPECT_EQ(sale.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(sale.status().message().find("tender"), std::string::npos);
}

TEST(TerminalTest, BasketErrorsNameTheField) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  Basket usd = Eur({100});
  usd.currency = "USD";
  EXPECT_EQ(t->Commit({"s1", Card("LC0001"), usd, 0}).status().code(),
            StatusCode::kCurrencyMismatch);
  auto negative = t->Commit({"s2", Card("LC0001"), Eur({100, -50}), 0});
  EXPECT_EQ(negative.status().code(), StatusCode::kAmountNegative);
  EXPECT_NE(negative.status().message().find("basket.lines[1]"), std::string::npos);
  auto huge = t->Commit({"s3", Card("LC0001"), Eur({INT64_MAX, INT64_MAX}), 0});
  EXPECT_EQ(huge.status().code(), StatusCode::kAmountOverflow);
  // Nothing of the failed sales was written.
  EXPECT_EQ(t->History(Card("LC0001"))->size(), 1u);
}

TEST(TerminalTest, BlockedCardCannotEarnOrSpendButIsShown) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({3000}), 0}).ok());
  ASSERT_TRUE(t->Block({"b1", Card("LC0001"), true, "mgr-7", "reported lost"}).ok());
  EXPECT_EQ(t->Commit({"s2", Card("LC0001"), Eur({100}), 0}).status().code(),
            StatusCode::kCardBlocked);
  EXPECT_EQ(t->Redeem({"r1", Card("LC0001"), 5, "x"}).status().code(),
            StatusCode::kCardBlocked);
  auto view = t->Lookup(Card("LC0001"));
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->blocked);
  ASSERT_TRUE(t->Block({"b2", Card("LC0001"), false, "mgr-7", "found"}).ok());
  EXPECT_TRUE(t->Redeem({"r2", Card("LC0001"), 5, "x"}).ok());
}

TEST(TerminalTest, PendingPointsWaitForTheReturnWindow) {
  TestTerminal t(testing::DefaultProgramJson(R"("points": {"pending_days": 14})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({3000}), 0}).ok());
  auto view = t->Lookup(Card("LC0001"));
  EXPECT_EQ(view->available, 0);
  EXPECT_EQ(view->pending, 30);
  EXPECT_EQ(t->Redeem({"r1", Card("LC0001"), 1, "x"}).status().code(),
            StatusCode::kInsufficientPoints);
  t.clock.AdvanceDays(14);
  view = t->Lookup(Card("LC0001"));
  EXPECT_EQ(view->available, 30);
  EXPECT_EQ(view->pending, 0);
}

TEST(TerminalTest, ExpiryWritesEntriesAndSpendsOldestFirst) {
  TestTerminal t(testing::DefaultProgramJson(R"("points": {"expiry_days": 30})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok());  // expires day 30
  t.clock.AdvanceDays(20);
  ASSERT_TRUE(t->Commit({"s2", Card("LC0001"), Eur({2000}), 0}).ok());  // expires day 50
  ASSERT_TRUE(t->Redeem({"r1", Card("LC0001"), 5, "x"}).ok());          // from the older lot
  t.clock.AdvanceDays(15);  // day 35: the first lot has expired
  EXPECT_EQ(t->Lookup(Card("LC0001"))->available, 20);
  auto expired = t->ExpirePoints("expiry-day-35");
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].redeemed, 5);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 20);
  auto history = t->History(Card("LC0001"));
  EXPECT_EQ(history->front().kind, EntryKind::kExpire);
  EXPECT_EQ(history->front().points, -5);
  // Same run again: nothing new.
  auto again = t->ExpirePoints("expiry-day-35");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)[0].replayed);
  EXPECT_TRUE(t->Verify()->ok);
}

TEST(TerminalTest, HistoryIsNewestFirst) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(t->Commit({"s" + std::to_string(i), Card("LC0001"), Eur({100 * (i + 1)}), 0})
                    .ok());
  }
  auto history = t->History(Card("LC0001"), 3);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].op_id, "s4");
  EXPECT_EQ((*history)[0].points, 5);
  EXPECT_EQ((*history)[2].op_id, "s2");
}

TEST(TerminalTest, MistypedNumberSaysKeyItAgainNotUnknown) {
  TestTerminal t(testing::DefaultProgramJson(
      R"("cards": {"min_length": 16, "max_length": 16, "prefixes": ["99"],
                   "check_digit": "luhn", "allow_payment_cards": true})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("9900123456789017"), "", "Ada"}).ok());
  auto typo = t->Lookup(Card("9900123456789018"));
  EXPECT_EQ(typo.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(typo.status().message().find("check digit is wrong"), std::string::npos);
  auto sale = t->Commit({"s1", Card("9900123456789018"), Eur({100}), 0});
  EXPECT_EQ(sale.status().code(), StatusCode::kInvalidArgument);
  // A well-formed number nobody holds is unknown, as before.
  EXPECT_EQ(t->Lookup(Card("9900000000000002")).status().code(), StatusCode::kUnknownCard);
  EXPECT_EQ(t->program().time_zone, "UTC");
}

TEST(TerminalTest, NegativeAdjustmentTakesSpendablePointsFirst) {
  TestTerminal t(testing::DefaultProgramJson(R"("points": {"pending_days": 14})"));
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  ASSERT_TRUE(t->Commit({"s1", Card("LC0001"), Eur({1000}), 0}).ok());
  t.clock.AdvanceDays(15);
  ASSERT_TRUE(t->Commit({"s2", Card("LC0001"), Eur({1200}), 0}).ok());
  ASSERT_TRUE(t->Adjust({"a1", Card("LC0001"), -5, "mgr", "double entry"}).ok());
  auto view = t->Lookup(Card("LC0001"));
  EXPECT_EQ(view->available, 5);
  EXPECT_EQ(view->pending, 12);
}

TEST(TerminalTest, ManualAdjustmentNeedsOperatorAndReason) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  EXPECT_EQ(t->Adjust({"a1", Card("LC0001"), 100, "", "goodwill"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(t->Adjust({"a1", Card("LC0001"), 100, "mgr-7", ""}).status().code(),
            StatusCode::kInvalidArgument);
  auto adj = t->Adjust({"a1", Card("LC0001"), 100, "mgr-7", "goodwill: broken till"});
  ASSERT_TRUE(adj.ok()) << adj.status().ToString();
  EXPECT_EQ(adj->after.available, 100);
  auto history = t->History(Card("LC0001"));
  EXPECT_EQ(history->front().note, "mgr-7: goodwill: broken till");
  EXPECT_TRUE(t->Adjust({"a2", Card("LC0001"), -30, "mgr-7", "double entry"}).ok());
  EXPECT_EQ(t->Lookup(Card("LC0001"))->available, 70);
  EXPECT_EQ(t->Adjust({"a3", Card("LC0001"), -300, "mgr-7", "x"}).status().code(),
            StatusCode::kInsufficientPoints);
}

TEST(TerminalTest, BadProgramIsRefusedAndTheOldOneStays) {
  TestTerminal t;
  const std::string bad = testing::WriteFile(
      t.dir.File("bad.json"),
      R"({"format": 1, "id": "v2", "version": 2, "currency": "EUR",
          "earn": {"points": 1, "per": "1.00", "roundign": "up"}})");
  Status s = t->LoadProgram(bad);
  EXPECT_EQ(s.code(), StatusCode::kProgramInvalid);
  EXPECT_NE(s.message().find("earn.roundign: unknown field (did you mean 'rounding'?)"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(t->program().id, "test");
  const std::string good = testing::WriteFile(
      t.dir.File("good.json"),
      R"({"format": 1, "id": "v2", "version": 2, "currency": "EUR",
          "earn": {"points": 2, "per": "1.00"}})");
  ASSERT_TRUE(t->LoadProgram(good).ok());
  EXPECT_EQ(t->program().version, 2);
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  EXPECT_EQ(t->Commit({"s1", Card("LC0001"), Eur({1000}), 0})->earned, 20);
}

TEST(TerminalTest, OpenNamesTheMissingOption) {
  Options options;
  EXPECT_NE(Terminal::Open(options).status().message().find("database_path"),
            std::string::npos);
  options.database_path = "/tmp/x.db";
  EXPECT_NE(Terminal::Open(options).status().message().find("terminal_id"),
            std::string::npos);
  options.terminal_id = "t";
  options.terminal_key = "short";
  EXPECT_NE(Terminal::Open(options).status().message().find("terminal_key"),
            std::string::npos);
  options.terminal_key = testing::kTestKey;
  options.program_path = "/nonexistent/program.json";
  EXPECT_EQ(Terminal::Open(options).status().code(), StatusCode::kIoError);
}

TEST(TerminalTest, SecondOpenOfTheSameLedgerIsRefused) {
  TestTerminal t;
  auto second = Terminal::Open(t.options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kDatabaseLocked);
  t.Close();
  EXPECT_TRUE(Terminal::Open(t.options).ok());
}

TEST(TerminalTest, AnotherProcessOpeningTheLedgerGetsAClearError) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto opened = Terminal::Open(t.options);
    const bool clear = !opened.ok() &&
                       opened.status().code() == StatusCode::kDatabaseLocked &&
                       opened.status().message().find("ledger.db") != std::string::npos;
    _exit(clear ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(t->Verify()->ok);
}

TEST(TerminalTest, QuoteWritesNothingAndExplains) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  auto quote = t->QuoteBasket(Card("LC0001"), Eur({1240, 10}));
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->points_to_earn, 12);
  EXPECT_EQ(quote->lines.at(0).explanation,
            "1 point per 1.00 EUR on 12.50 EUR: 12 points");
  EXPECT_EQ(t->History(Card("LC0001"))->size(), 1u);
  EXPECT_EQ(t->Lookup(Card("LC0001"))->balance, 0);
  auto sale = t->Commit({"s1", Card("LC0001"), Eur({1240, 10}), 0});
  EXPECT_EQ(sale->earned, quote->points_to_earn);
}

TEST(TerminalTest, BadReadIsReportedNotLookedUp) {
  TestTerminal t;
  ASSERT_TRUE(t->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  CardRead bad;
  bad.source = CardSource::kMagstripeTrack2;
  bad.status = Status(StatusCode::kBadRead, "track 2: parity error; swipe again");
  EXPECT_EQ(t->Identify(bad).status().code(), StatusCode::kBadRead);
  CardRead good;
  good.card = Card("LC0001");
  good.source = CardSource::kMagstripeTrack2;
  EXPECT_EQ(t->Identify(good)->name, "Ada");
}

TEST(TerminalTest, TwoTerminalsInOneProcessDoNotSeeEachOther) {
  TestTerminal a;
  TestTerminal b;
  ASSERT_TRUE(a->Enroll({"e1", Card("LC0001"), "", "Ada"}).ok());
  EXPECT_EQ(b->Lookup(Card("LC0001")).status().code(), StatusCode::kUnknownCard);
}

}  // namespace
}  // namespace loyalty
