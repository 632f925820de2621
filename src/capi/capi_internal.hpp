// What the C ABI's opaque handles are, and the helpers every entry point
// uses: a guard that turns any exception into LOYALTY_INTERNAL, the
// thread-local error text, and conversions from the C++ value types into
// keyed results. Internal: not installed.
#pragma once

#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "loyalty/loyalty.h"
#include "loyalty/loyalty.hpp"
#include "loyalty/report.hpp"

// An immutable bag of keyed values (see loyalty.h). Built once by the
// library, then only read.
struct loyalty_result {
  int kind = 0;
  // An item of another result (set when the result is handed out): freed
  // with its parent only, so loyalty_result_free on it by mistake does
  // nothing instead of freeing memory the parent still owns.
  bool borrowed = false;
  std::map<int, std::int64_t> ints;
  std::map<int, std::string> strings;
  std::map<int, std::vector<std::int64_t>> int_lists;
  std::map<int, std::vector<std::string>> string_lists;
  std::map<int, std::vector<std::unique_ptr<loyalty_result>>> items;
};

struct loyalty_options {
  loyalty::Options options;
  loyalty_clock_fn clock_fn = nullptr;
  void* clock_user = nullptr;
};

namespace loyalty::capi {

// The POS's clock callback as a Clock.
class CallbackClock final : public Clock {
 public:
  CallbackClock(loyalty_clock_fn fn, void* user) : fn_(fn), user_(user) {}
  Timestamp Now() const override {
    return Timestamp(std::chrono::milliseconds(fn_(user_)));
  }

 private:
  loyalty_clock_fn fn_;
  void* user_;
};

}  // namespace loyalty::capi

namespace loyalty::capi {

// What an open terminal owns. Shared: the loyalty_terminal handle holds it,
// and so does every loyalty_sync attached to it, so the terminal (and its
// ledger) lives until the last of them is freed, in whatever order the
// POS (or a garbage collector) frees them.
struct OpenTerminal {
  // Declared before the terminal, so it outlives it.
  std::unique_ptr<CallbackClock> clock;
  std::unique_ptr<Terminal> terminal;
};

}  // namespace loyalty::capi

struct loyalty_terminal {
  // Points at OpenTerminal::terminal and keeps the whole OpenTerminal alive.
  std::shared_ptr<loyalty::Terminal> terminal;
};

struct loyalty_basket {
  loyalty::Basket basket;
  std::vector<std::string> rewards;
  std::vector<std::string> coupons;
  std::vector<loyalty::GiftCardTender> gift_cards;
  std::int64_t wallet_minor = 0;
  loyalty::Points redeem_points = 0;
};

namespace loyalty::capi {

// Records `status` as this thread's last error (or clears it) and returns
// its code as the C enum.
loyalty_status Report(const Status& status) noexcept;
loyalty_status Fail(StatusCode code, const std::string& message) noexcept;
inline loyalty_status Ok() noexcept { return Report(Status::Ok()); }

// Runs an entry point's body; nothing thrown gets past it.
template <typename Body>
loyalty_status Guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(StatusCode::kInternal, "out of memory");
  } catch (const std::exception& e) {
    return Fail(StatusCode::kInternal, std::string("unexpected exception: ") + e.what());
  } catch (...) {
    return Fail(StatusCode::kInternal, "unexpected exception");
  }
}

// NULL for a required pointer argument: names the parameter.
inline loyalty_status Missing(const char* parameter) noexcept {
  return Fail(StatusCode::kInvalidArgument, std::string(parameter) + ": is NULL");
}

// A C log callback as a LogFn; nullptr for NULL (silent).
inline LogFn LogFromC(loyalty_log_fn log, void* user_data) {
  if (log == nullptr) return nullptr;
  return [log, user_data](LogLevel level, std::string_view message) {
    const std::string text(message);
    log(user_data, static_cast<int>(level), text.c_str());
  };
}

// NULL strings are "".
inline std::string Text(const char* s) { return s ? std::string(s) : std::string(); }

// Parses a card given as text; errors name `field`.
Result<CardId> ParseCard(const char* text, const char* field = "card");

// Marks every item under `result` as borrowed (see loyalty_result).
void MarkItemsBorrowed(loyalty_result& result) noexcept;

// Hands a finished result to the caller.
inline loyalty_status Give(std::unique_ptr<loyalty_result> result, loyalty_result** out) {
  MarkItemsBorrowed(*result);
  *out = result.release();
  return Ok();
}

std::unique_ptr<loyalty_result> FromCardView(const CardView& view);
std::unique_ptr<loyalty_result> FromBalance(const PointsBalance& balance);
std::unique_ptr<loyalty_result> FromQuote(const Quote& quote);
std::unique_ptr<loyalty_result> FromReceipt(const Receipt& receipt);
std::unique_ptr<loyalty_result> FromReceipts(const std::vector<Receipt>& receipts);
std::unique_ptr<loyalty_result> FromExchange(const ExchangeReceipt& exchange);
std::unique_ptr<loyalty_result> FromHistory(const std::vector<HistoryEntry>& entries);
std::unique_ptr<loyalty_result> FromVerify(const VerifyReport& report);
std::unique_ptr<loyalty_result> FromProgram(const ProgramInfo& program);
std::unique_ptr<loyalty_result> FromTillReport(const TillReportData& report);
std::unique_ptr<loyalty_result> FromCardRead(const CardRead& read);

}  // namespace loyalty::capi
