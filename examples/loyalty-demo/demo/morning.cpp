#include "demo/morning.hpp"

#include <chrono>
#include <memory>
#include <vector>

#include "basket_text.hpp"
#include "demo/scripted_clock.hpp"
#include "loyalty/loyalty.hpp"
#ifdef LOYALTY_DEMO_WITH_READERS
#include "loyalty/reader.hpp"
#endif
#include "screen.hpp"

namespace loyalty_demo {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr char kAnna[] = "9900 1234 5678 9017";
constexpr char kBen[] = "9900 2026 0301 0012";
constexpr char kClara[] = "9900 2026 0301 0020";
constexpr char kDaniel[] = "9900 2026 0301 0038";
// Daniel's number with the last digit keyed wrong: the Luhn check catches it.
constexpr char kDanielMistyped[] = "9900 2026 0301 0039";

const sys_days kThreeWeeksAgo{std::chrono::year{2026} / 2 / 9};
const sys_days kThisMorning{std::chrono::year{2026} / 3 / 3};

// The till of the story. Each step prints what the cashier sees and
// returns the library's Status, so an unexpected refusal ends the demo
// with the library's own message.
class Morning {
 public:
  Morning(std::ostream& out, ScriptedClock& clock) : out_(out), clock_(clock) {}

  loyalty::Status Open(const std::string& database_path, const std::string& program_path) {
    loyalty::Options options;
    options.database_path = database_path;
    options.program_path = program_path;
    options.terminal_id = "till-1";
    // A fresh ledger that is deleted afterwards: a throw-away key is enough.
    options.terminal_key = kMorningTerminalKey;
    options.clock = &clock_;
    options.ids = &ids_;
    auto terminal = loyalty::Terminal::Open(std::move(options));
    if (!terminal.ok()) return terminal.status();
    terminal_ = std::move(*terminal);
    auto currency = loyalty::Currency::FromCode(terminal_->program().currency);
    if (!currency.ok()) return currency.status();
    currency_ = std::make_unique<loyalty::Currency>(*currency);
    const loyalty::ProgramInfo program = terminal_->program();
    out_ << "=== " << program.name << " (" << program.id << " v" << program.version << ", "
         << program.currency << "): a morning at till 1 ===\n"
         << "(times are UTC, as the ledger records them)\n";
    return loyalty::Status::Ok();
  }

  void Day(sys_days day, const char* title) {
    day_ = day;
    out_ << "\n--- " << title << " ---\n";
  }

  void At(int hour, int minute, const std::string& what) {
    clock_.Set(day_, hours(hour), minutes(minute));
    out_ << '\n' << FormatTime(clock_.Now()).substr(11, 5) << "  " << what << '\n';
  }

  void Say(const std::string& text) { out_ << "  > " << text << '\n'; }

  loyalty::Status Enroll(const std::string& number, const std::string& name,
                         const std::string& op_id) {
    auto card = ParseCard(number);
    if (!card.ok()) return card.status();
    loyalty::Enrollment request;
    request.op_id = op_id;
    request.card = *card;
    request.name = name;
    request.cashier_id = "maria";
    auto receipt = terminal_->Enroll(request);
    if (!receipt.ok()) return receipt.status();
    out_ << "  enrolled " << receipt->card_masked << " on account " << receipt->account_id << '\n';
    return loyalty::Status::Ok();
  }

  loyalty::Result<loyalty::Receipt> Sale(const std::string& number, const std::string& receipt_id,
                                         const std::vector<std::string>& prices) {
    auto card = ParseCard(number);
    if (!card.ok()) return card.status();
    auto basket = ParseBasket(prices, *currency_);
    if (!basket.ok()) return basket.status();
    std::int64_t total = 0;
    std::string lines;
    for (const auto& line : basket->lines) {
      total += line.amount_minor;
      lines += (lines.empty() ? "" : " + ") + FormatMoney(line.amount_minor, *currency_);
    }
    out_ << "  receipt " << receipt_id << ": " << lines << " = " << FormatMoney(total, *currency_)
         << '\n';
    loyalty::Checkout checkout;
    checkout.op_id = receipt_id;
    checkout.card = *card;
    checkout.basket = std::move(*basket);
    checkout.cashier_id = "maria";
    auto receipt = terminal_->Commit(checkout);
    if (!receipt.ok()) return receipt.status();
    PrintReceipt(out_, *receipt, *currency_);
    return receipt;
  }

  loyalty::Status Swipe(const std::string& number) {
#ifdef LOYALTY_DEMO_WITH_READERS
    // The card goes through the simulated reader, as a real swipe would:
    // CardRead in, the account out (Terminal::Identify).
    auto reader = loyalty::OpenReader("sim:cards=" + number);
    if (!reader.ok()) return reader.status();
    if (loyalty::Status s = (*reader)->Start(); !s.ok()) return s;
    auto read = (*reader)->WaitForCard(std::chrono::seconds(1));
    if (!read.ok()) return read.status();
    out_ << "  (read on the " << loyalty::CardSourceName(read->source) << " card reader)\n";
    auto view = terminal_->Identify(*read);
#else
    auto card = ParseCard(number);
    if (!card.ok()) return card.status();
    auto view = terminal_->Lookup(*card);
#endif
    if (!view.ok()) return view.status();
    PrintCard(out_, *view, *currency_);
    return loyalty::Status::Ok();
  }

  loyalty::Status Redeem(const std::string& number, loyalty::Points points,
                         const std::string& reason, const std::string& op_id) {
    auto card = ParseCard(number);
    if (!card.ok()) return card.status();
    loyalty::Redemption request;
    request.op_id = op_id;
    request.card = *card;
    request.points = points;
    request.reason = reason;
    request.cashier_id = "maria";
    auto receipt = terminal_->Redeem(request);
    if (!receipt.ok()) return receipt.status();
    PrintReceipt(out_, *receipt, *currency_);
    return loyalty::Status::Ok();
  }

  loyalty::Status Return(const std::string& sale_id, const std::string& amount,
                         const std::string& op_id) {
    loyalty::RefundRequest request;
    request.op_id = op_id;
    request.sale_op_id = sale_id;
    request.cashier_id = "maria";
    if (!amount.empty()) {
      auto minor = ParseAmountMinor(amount, *currency_, "amount");
      if (!minor.ok()) return minor.status();
      request.amount_minor = *minor;
    }
    auto receipt = terminal_->Refund(request);
    if (!receipt.ok()) return receipt.status();
    PrintReceipt(out_, *receipt, *currency_);
    return loyalty::Status::Ok();
  }

  loyalty::Status History(const std::string& number) {
    auto card = ParseCard(number);
    if (!card.ok()) return card.status();
    auto entries = terminal_->History(*card, 10);
    if (!entries.ok()) return entries.status();
    PrintHistory(out_, *entries, *currency_);
    return loyalty::Status::Ok();
  }

  loyalty::Status Verify() {
    auto report = terminal_->Verify();
    if (!report.ok()) return report.status();
    PrintVerify(out_, *report);
    if (!report->ok) return {loyalty::StatusCode::kTampered, "the demo ledger does not verify"};
    return loyalty::Status::Ok();
  }

  // A refusal the story expects: shown as the till shows it, and the story
  // goes on. Anything else (or no refusal at all) is a failure of the demo.
  loyalty::Status Expect(loyalty::StatusCode expected, const loyalty::Status& got) {
    if (got.code() != expected) {
      if (got.ok()) {
        return {loyalty::StatusCode::kInternal, std::string("the demo expected ") +
                                                    loyalty::StatusCodeName(expected) +
                                                    " but the library accepted the request"};
      }
      return got;
    }
    out_ << "  ! refused (" << loyalty::StatusCodeName(got.code()) << "): " << got.message()
         << '\n';
    return loyalty::Status::Ok();
  }

 private:
  std::ostream& out_;
  ScriptedClock& clock_;
  CountingIds ids_;
  sys_days day_ = kThisMorning;
  std::unique_ptr<loyalty::Terminal> terminal_;
  std::unique_ptr<loyalty::Currency> currency_;  // Currency has no empty state
};

loyalty::Status Tell(Morning& m) {
  loyalty::Status s;
  m.Day(kThreeWeeksAgo, "Monday 9 February 2026, three weeks earlier");
  m.At(17, 40, "Anna Weber signs up at the till");
  if (s = m.Enroll(kAnna, "Anna Weber", "E-0209-017"); !s.ok()) return s;
  m.At(17, 42, "Anna's weekly shop");
  if (auto r = m.Sale(kAnna, "R-0209-031", {"54.90", "19.99", "9.31"}); !r.ok()) {
    return r.status();
  }
  m.Say("points stay pending for the 14-day return window");

  m.Day(kThisMorning, "Tuesday 3 March 2026, the morning shift");
  m.At(8, 1, "Anna swipes her card: the return window is over, her points are spendable");
  if (s = m.Swipe(kAnna); !s.ok()) return s;
  m.At(8, 2, "Anna takes the fruit basket from the rewards shelf for 80 points");
  if (s = m.Redeem(kAnna, 80, "fruit basket", "P-0303-001"); !s.ok()) return s;

  m.At(8, 10, "Ben Okafor signs up and buys breakfast things");
  if (s = m.Enroll(kBen, "Ben Okafor", "E-0303-001"); !s.ok()) return s;
  if (auto r = m.Sale(kBen, "R-0303-001", {"12.40", "3.99", "0.89"}); !r.ok()) {
    return r.status();
  }

  m.At(8, 20, "Clara Jensen signs up and pays for her shop");
  if (s = m.Enroll(kClara, "Clara Jensen", "E-0303-002"); !s.ok()) return s;
  auto first = m.Sale(kClara, "R-0303-002", {"29.95", "16.80"});
  if (!first.ok()) return first.status();
  m.Say("the POS got no answer within 3 s (timeout) and sends receipt R-0303-002 again");
  auto retry = m.Sale(kClara, "R-0303-002", {"29.95", "16.80"});
  if (!retry.ok()) return retry.status();
  m.Say("still " + FormatPoints(retry->after.balance) + " for Clara, not " +
        FormatPoints(2 * first->earned) + ": the retry wrote nothing");

  m.At(8, 31, "Ben is back: the 12.40 item of R-0303-001 was the wrong one");
  if (s = m.Return("R-0303-001", "12.40", "F-0303-001"); !s.ok()) return s;

  m.At(8, 40, "Anna returns her whole weekly shop of 9 February (R-0209-031)");
  if (s = m.Return("R-0209-031", "", "F-0303-002"); !s.ok()) return s;
  m.Say("her 84 points are taken back in full although she spent 80 of them");

  m.At(8, 47, "Daniel Roth signs up; the cashier keys his card number by hand");
  m.Say("keyed: " + std::string(kDanielMistyped));
  if (s = m.Expect(loyalty::StatusCode::kInvalidArgument,
                   m.Enroll(kDanielMistyped, "Daniel Roth", "E-0303-003"));
      !s.ok()) {
    return s;
  }
  m.Say("keyed again: " + std::string(kDaniel));
  if (s = m.Enroll(kDaniel, "Daniel Roth", "E-0303-003"); !s.ok()) return s;
  m.Say("a lookup with the same typo is caught too: the till asks to key it again");
  if (s = m.Expect(loyalty::StatusCode::kInvalidArgument, m.Swipe(kDanielMistyped));
      !s.ok()) {
    return s;
  }

  m.At(8, 55, "Anna asks what happened to her points");
  if (s = m.Swipe(kAnna); !s.ok()) return s;
  if (s = m.History(kAnna); !s.ok()) return s;

  m.At(9, 0, "The rush is over: the shift lead checks the ledger");
  return m.Verify();
}

}  // namespace

loyalty::Status RunMorning(const std::string& database_path, const std::string& program_path,
                           std::ostream& out) {
  ScriptedClock clock;
  clock.Set(kThreeWeeksAgo, hours(17), minutes(30));
  Morning morning(out, clock);
  if (loyalty::Status s = morning.Open(database_path, program_path); !s.ok()) return s;
  return Tell(morning);
}

}  // namespace loyalty_demo
