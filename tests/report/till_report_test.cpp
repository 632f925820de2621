// The till report against the ledger: every figure is recomputed here
// from History() (per card, split by who the test had ring it up), from
// the receipts and with raw SQL, and must agree exactly.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/loyalty.hpp"
#include "loyalty/report.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;
using testing::Eur;
using testing::TestTerminal;

constexpr std::int64_t kDay = 86'400'000;

const char* kProgram = R"({"format": 1, "id": "report", "version": 1, "currency": "EUR",
  "earn": {"points": 1, "per": "1.00"},
  "points": {"expiry_days": 30},
  "bonuses": {"signup": 10},
  "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00"}]})";

Timestamp At(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

class TillReportTest : public ::testing::Test {
 protected:
  TillReportTest() : t_(kProgram) {}

  void SetUp() override {
    // Day 0, before the window: Cy joins and buys; her points expire on day 30.
    Enroll("pre-e3", "LC0003", "Cy", "carol");
    Sale("pre-1", "LC0003", {9000}, "carol");
    // Day 31: the report's day.
    t_.clock.AdvanceDays(31);
    day_start_ = t_.clock.Now().time_since_epoch().count();
    t_.clock.AdvanceMs(9 * 3'600'000);  // 09:00
    ASSERT_TRUE(t_->ExpirePoints("expire-31").ok());
    Enroll("e1", "LC0001", "Ada", "alice");
    Enroll("e2", "LC0002", "Bo", "bob");
    Sale("s1", "LC0001", {4000, 2550}, "alice");       // 65 points
    Sale("s2", "LC0002", {12000}, "bob");              // 120 points
    Sale("s3", "LC0001", {1999}, "");                  // unattributed
    Sale("s4", "LC0003", {3000}, "bob");               // Cy comes back
    {
      Checkout c;
      c.op_id = "s5";
      c.card = Card("LC0002");
      c.basket = Eur({2000});
      c.rewards = {"five-off"};
      c.cashier_id = "alice";
      auto r = t_->Commit(c);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      paid_["alice"] += 1500;
      ++sales_["alice"];
    }
    RefundRequest refund;
    refund.op_id = "ret-1";
    refund.sale_op_id = "s2";
    refund.amount_minor = 6000;
    refund.cashier_id = "alice";
    ASSERT_TRUE(t_->Refund(refund).ok());
    Redemption redeem;
    redeem.op_id = "red-1";
    redeem.card = Card("LC0001");
    redeem.points = 20;
    redeem.reason = "mug";
    redeem.cashier_id = "bob";
    ASSERT_TRUE(t_->Redeem(redeem).ok());
    VoidRequest void_request;
    void_request.op_id = "void-1";
    void_request.target_op_id = "s3";
    void_request.operator_id = "mgr";
    void_request.reason = "wrong card";
    void_request.cashier_id = "bob";
    ASSERT_TRUE(t_->Void(void_request).ok());
    Adjustment adjust;
    adjust.op_id = "adj-1";
    adjust.card = Card("LC0002");
    adjust.points = -7;
    adjust.operator_id = "mgr";
    adjust.reason = "double scan";
    ASSERT_TRUE(t_->Adjust(adjust).ok());
    ASSERT_TRUE(t_->RecordAnonymousSale({"a1", "EUR", 1000, "alice"}).ok());
    ASSERT_TRUE(t_->RecordAnonymousSale({"a2", "EUR", 2500, "bob"}).ok());
    ASSERT_TRUE(t_->RecordAnonymousSale({"a3", "EUR", 700, ""}).ok());
    ASSERT_TRUE(t_->RecordAnonymousSale({"a3", "EUR", 700, ""}).ok());  // a retry
    // Day 32: after the window.
    t_.clock.AdvanceDays(1);
    Sale("after-1", "LC0001", {5000}, "alice");
    Enroll("after-e4", "LC0004", "Di", "alice");
    ASSERT_TRUE(t_->RecordAnonymousSale({"after-a", "EUR", 900, "alice"}).ok());
  }

  std::string Enroll(const std::string& op, const std::string& card, const std::string& name,
                     const std::string& cashier) {
    Enrollment e;
    e.op_id = op;
    e.card = Card(card);
    e.name = name;
    e.cashier_id = cashier;
    auto r = t_->Enroll(e);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    cashier_of_[op] = cashier;
    return op;
  }

  void Sale(const std::string& op, const std::string& card,
            std::initializer_list<std::int64_t> lines, const std::string& cashier) {
    Checkout c;
    c.op_id = op;
    c.card = Card(card);
    c.basket = Eur(lines);
    c.cashier_id = cashier;
    auto r = t_->Commit(c);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    cashier_of_[op] = cashier;
    const std::int64_t now = t_.clock.Now().time_since_epoch().count();
    if (day_start_ > 0 && now >= day_start_ && now < day_start_ + kDay) {
      for (std::int64_t amount : lines) paid_[cashier] += amount;
      ++sales_[cashier];
    }
  }

  Result<TillReportData> Day(PointValue value = {1, 1}) {
    return t_->TillReport(At(day_start_), At(day_start_ + kDay), value);
  }

  TestTerminal t_;
  std::int64_t day_start_ = 0;
  std::map<std::string, std::string> cashier_of_;   // op_id -> cashier (from the test)
  std::map<std::string, std::int64_t> paid_;        // cashier -> member sales paid
  std::map<std::string, std::int64_t> sales_;       // cashier -> member sales
};

TEST_F(TillReportTest, PointFiguresReconcileWithHistoryPerCashier) {
  auto report = Day();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // Recompute from History: every entry of every card, by kind, for the
  // cashier the test itself used for the operation.
  cashier_of_["void-1"] = "bob";
  cashier_of_["red-1"] = "bob";
  cashier_of_["ret-1"] = "alice";
  cashier_of_["s5"] = "alice";
  std::map<std::string, TillFigures> expected;
  Points net = 0;
  Points owed = 0;
  for (const char* card : {"LC0001", "LC0002", "LC0003", "LC0004"}) {
    auto history = t_->History(Card(card), 1000);
    ASSERT_TRUE(history.ok());
    Points balance_at_end = 0;
    for (const HistoryEntry& e : *history) {
      const std::int64_t at = e.at.time_since_epoch().count();
      if (at < day_start_ + kDay) balance_at_end += e.points;
      if (at < day_start_ || at >= day_start_ + kDay) continue;
      net += e.points;
      auto found = cashier_of_.find(e.op_id);
      TillFigures& f = expected[found == cashier_of_.end() ? "" : found->second];
      switch (e.kind) {
        case EntryKind::kEarn: f.points_issued += e.points; break;
        case EntryKind::kRedeem: f.points_redeemed -= e.points; break;
        case EntryKind::kExpire: f.points_expired -= e.points; break;
        case EntryKind::kEarnReversal: f.points_reversed_earned -= e.points; break;
        case EntryKind::kRedeemReversal: f.points_reversed_redeemed += e.points; break;
        case EntryKind::kAdjust: f.points_adjusted += e.points; break;
        default: break;
      }
    }
    owed += std::max<Points>(balance_at_end, 0);
  }
  ASSERT_EQ(report->cashiers.size(), 3u);  // "", alice, bob; carol worked before the day
  TillFigures sum;
  for (const TillFigures& f : report->cashiers) {
    SCOPED_TRACE("cashier '" + f.cashier_id + "'");
    const TillFigures& want = expected[f.cashier_id];
    EXPECT_EQ(f.points_issued, want.points_issued);
    EXPECT_EQ(f.points_redeemed, want.points_redeemed);
    EXPECT_EQ(f.points_expired, want.points_expired);
    EXPECT_EQ(f.points_reversed_earned, want.points_reversed_earned);
    EXPECT_EQ(f.points_reversed_redeemed, want.points_reversed_redeemed);
    EXPECT_EQ(f.points_adjusted, want.points_adjusted);
    sum.points_issued += f.points_issued;
    sum.points_expired += f.points_expired;
  }
  const TillFigures& total = report->total;
  EXPECT_EQ(total.points_issued, sum.points_issued);
  EXPECT_EQ(total.points_expired, 100);  // Cy's day-0 sign-up bonus and sale
  EXPECT_EQ(total.points_issued - total.points_redeemed - total.points_expired -
                total.points_reversed_earned + total.points_reversed_redeemed +
                total.points_adjusted,
            net);
  EXPECT_EQ(report->outstanding_points, owed);
  EXPECT_EQ(report->outstanding_minor, owed);  // a point is worth a cent here
  // This till never synced: every entry is still to be sent.
  EXPECT_TRUE(report->sync_built);
  EXPECT_GT(report->unsynced_entries, 0);
}

TEST_F(TillReportTest, SalesFiguresReconcileWithTheReceiptsAndRawSql) {
  auto report = Day();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::int64_t member_sales = 0;
  std::int64_t member_paid = 0;
  for (const TillFigures& f : report->cashiers) {
    SCOPED_TRACE("cashier '" + f.cashier_id + "'");
    EXPECT_EQ(f.member_sales, sales_[f.cashier_id]);
    EXPECT_EQ(f.member_sales_minor, paid_[f.cashier_id]);
    member_sales += f.member_sales;
    member_paid += f.member_sales_minor;
  }
  const TillFigures& total = report->total;
  EXPECT_EQ(total.member_sales, 5);
  EXPECT_EQ(total.member_sales, member_sales);
  EXPECT_EQ(total.member_sales_minor, member_paid);
  EXPECT_EQ(total.anonymous_sales, 3);
  EXPECT_EQ(total.anonymous_sales_minor, 4200);
  EXPECT_EQ(total.card_share_bp, 5 * 10000 / 8);
  EXPECT_EQ(total.average_member_basket_minor, member_paid / 5);
  EXPECT_EQ(total.average_anonymous_basket_minor, 1400);
  EXPECT_EQ(total.new_members, 2);     // Ada and Bo; Cy joined before, Di after
  EXPECT_EQ(total.rewards_given, 1);   // five-off on s5
  EXPECT_EQ(total.redemptions, 2);     // s5 (reward) and red-1
  EXPECT_EQ(total.active_members, 3);  // Ada, Bo, Cy
  EXPECT_EQ(total.activation_rate_bp, 2 * 10000 / 3);

  // The same from the file, with SQL of the test's own.
  TestTerminal& t = t_;
  t.Close();  // the Terminal holds its ledger exclusively while open
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(t.options.database_path.c_str(), &db, SQLITE_OPEN_READONLY,
                            nullptr),
            SQLITE_OK);
  auto scalar = [&](const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    sqlite3_bind_int64(stmt, 1, day_start_);
    sqlite3_bind_int64(stmt, 2, day_start_ + kDay);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const std::int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
  };
  EXPECT_EQ(scalar("SELECT total(points) FROM entries WHERE at BETWEEN ?1 AND ?2 - 1"),
            total.points_issued - total.points_redeemed - total.points_expired -
                total.points_reversed_earned + total.points_reversed_redeemed +
                total.points_adjusted);
  EXPECT_EQ(scalar("SELECT count(*) FROM operations o WHERE o.kind = 'sale' AND EXISTS "
                   "(SELECT 1 FROM entries e WHERE e.op_id = o.op_id AND e.at >= ?1 AND "
                   "e.at < ?2)"),
            total.member_sales);
  EXPECT_EQ(scalar("SELECT total(amount_minor) FROM anonymous_sales WHERE at >= ?1 AND at < ?2"),
            total.anonymous_sales_minor);
  EXPECT_EQ(scalar("SELECT max(seq) FROM entries WHERE ?1 = ?1 AND ?2 = ?2"),
            report->unsynced_entries);
  sqlite3_close(db);
}

TEST_F(TillReportTest, RenderedAsTextAndJson) {
  auto report = Day({1, 2});  // two points a cent
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->outstanding_minor, report->outstanding_points / 2);
  const std::string text = TillReportText(*report);
  EXPECT_NE(text.find("till till-1"), std::string::npos) << text;
  EXPECT_NE(text.find("alice"), std::string::npos);
  EXPECT_NE(text.find("62.50%"), std::string::npos) << text;  // card share
  EXPECT_NE(text.find("entries not yet synced: " + std::to_string(report->unsynced_entries)),
            std::string::npos);
  EXPECT_NE(text.find("from 2026-02-01 00:00 UTC to 2026-02-02 00:00 UTC"), std::string::npos)
      << text;
  auto open_ended = t_->TillReport(At(0), At(INT64_MAX));
  ASSERT_TRUE(open_ended.ok());
  EXPECT_NE(TillReportText(*open_ended).find("to 9223372036854775807 ms"), std::string::npos);
  const auto json = nlohmann::json::parse(TillReportJson(*report));
  EXPECT_EQ(json["total"]["member_sales"], 5);
  EXPECT_EQ(json["cashiers"].size(), 3u);
  EXPECT_EQ(json["cashiers"][1]["cashier_id"], "alice");
  EXPECT_EQ(json["outstanding_points"], report->outstanding_points);
  EXPECT_EQ(json["point_value"]["points"], 2);
}

TEST_F(TillReportTest, EmptyWindowAndBadArguments) {
  auto empty = t_->TillReport(At(0), At(1));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->total.member_sales, 0);
  EXPECT_EQ(empty->total.card_share_bp, 0);
  EXPECT_EQ(empty->outstanding_points, 0);
  EXPECT_TRUE(empty->cashiers.empty());
  auto backwards = t_->TillReport(At(10), At(5));
  EXPECT_EQ(backwards.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(backwards.status().message(), "from: 10 is after to: 5");
  EXPECT_EQ(t_->TillReport(At(0), At(5), {-1, 1}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TillReportTest, AnonymousSalesAreIdempotentAndChecked) {
  EXPECT_EQ(t_->RecordAnonymousSale({"a1", "EUR", 1001, ""}).code(),
            StatusCode::kDuplicateIdConflict);
  EXPECT_EQ(t_->RecordAnonymousSale({"s1", "EUR", 10, ""}).code(),
            StatusCode::kDuplicateIdConflict);  // a member sale's id
  const Status usd = t_->RecordAnonymousSale({"a9", "USD", 10, ""});
  EXPECT_EQ(usd.code(), StatusCode::kCurrencyMismatch);
  EXPECT_EQ(usd.message(), "currency: 'USD' but the program trades in EUR");
  EXPECT_EQ(t_->RecordAnonymousSale({"a9", "EUR", -1, ""}).code(),
            StatusCode::kAmountNegative);
  EXPECT_EQ(t_->RecordAnonymousSale({"", "EUR", 1, ""}).code(),
            StatusCode::kInvalidArgument);
}

// Cashier ids that are not UTF-8 are refused where they enter (issue 18,
// docs/limits.md), so the report never holds one.
TEST_F(TillReportTest, CashierIdsThatAreNotUtf8AreRefused) {
  EXPECT_EQ(t_->RecordAnonymousSale({"a-latin1", "EUR", 100, "caf\xe9"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(t_->RecordAnonymousSale({"a-overlong", "EUR", 100, "\xc0\xaf\xed\xa0\x80"}).code(),
            StatusCode::kInvalidArgument);
  auto report = t_->TillReport(At(0), At(INT64_MAX));
  ASSERT_TRUE(report.ok());
  std::string json;
  ASSERT_NO_THROW(json = TillReportJson(*report));
  EXPECT_TRUE(nlohmann::json::accept(json)) << json;
  EXPECT_EQ(report->total.anonymous_sales, 4);
}

TEST_F(TillReportTest, CashierOfARetryIsTheFirstOne) {
  Checkout c;
  c.op_id = "s1";
  c.card = Card("LC0001");
  c.basket = Eur({4000, 2550});
  c.cashier_id = "mallory";  // a retry rung up by someone else
  auto r = t_->Commit(c);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->replayed);
  auto report = Day();
  ASSERT_TRUE(report.ok());
  for (const TillFigures& f : report->cashiers) EXPECT_NE(f.cashier_id, "mallory");
}

}  // namespace
}  // namespace loyalty
