#include "capi_calls.hpp"

#include <array>
#include <limits>

namespace loyalty::fuzzing {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kLimit = 1'000'000'000'000'000;  // docs/limits.md: 10^15

// Amounts at and around every edge the library promises to check.
constexpr std::array<std::int64_t, 20> kAmounts = {
    0, 1, -1, 2, 5, 50, 99, 100, 500, 1234, 100'000, 1'000'000, 1'000'001, kLimit,
    kLimit + 1, -kLimit, -kLimit - 1, kMax, kMin, kMax - 1};

constexpr std::array<const char*, 8> kCards = {"LC-0001",  "LC-0002", "LC-0003", "LC-0001",
                                               "LC-0002",  "lc 0003", "4111111111111111", ""};
constexpr std::array<const char*, 12> kOpIds = {"op-1", "op-2", "op-3", "op-4",  "op-5",  "op-6",
                                                "op-7", "op-8", "op-9", "op-10", "op-11", "op-12"};
constexpr std::array<const char*, 3> kGiftCards = {"GC-1", "GC-2", "GC 1"};
constexpr std::array<const char*, 4> kRewards = {"five-off", "free-bread", "free-coffee", "nope"};
constexpr std::array<const char*, 4> kSkus = {"BREAD", "COFFEE", "MILK", "TOBACCO"};
constexpr std::array<const char*, 3> kCategories = {"grocery", "tobacco", "drinks"};
constexpr std::array<const char*, 4> kCurrencies = {"EUR", "EUR", "EUR", "USD"};
constexpr std::array<const char*, 3> kEvents = {"review", "survey", "birthday"};
constexpr std::array<const char*, 4> kNames = {"Ada", "Bob", "Zoë", "O'Brien"};

template <std::size_t N>
Text Pick(FuzzedDataProvider& in, const std::array<const char*, N>& pool) {
  // Mostly a pool value (so that calls succeed often enough to build
  // sales to return and loads to void); sometimes NULL, or any bytes
  // (invalid UTF-8, control characters, over-long text).
  const std::uint8_t how = in.ConsumeIntegral<std::uint8_t>();
  if (how < 232) return std::string(pool[how % N]);
  if (how < 238) return std::nullopt;
  if (how < 242) return std::string(in.ConsumeIntegralInRange<std::size_t>(120, 1100), 'x');
  return in.ConsumeRandomLengthString(64);
}

std::int64_t Amount(FuzzedDataProvider& in) {
  // Mostly an ordinary amount; the edges often enough to matter.
  const std::uint8_t how = in.ConsumeIntegral<std::uint8_t>();
  if (how < 48) return kAmounts[how % kAmounts.size()];
  if (how < 240) return in.ConsumeIntegralInRange<std::int64_t>(1, 20'000);
  return in.ConsumeIntegral<std::int64_t>();
}

BasketSpec DecodeBasket(FuzzedDataProvider& in) {
  BasketSpec b;
  b.currency = Pick(in, kCurrencies);
  const int lines = in.ConsumeIntegralInRange(0, 5);
  for (int i = 0; i < lines; ++i) {
    Line line;
    line.sku = Pick(in, kSkus);
    line.category = Pick(in, kCategories);
    line.quantity = in.ConsumeIntegralInRange(0, 7) != 0
                        ? in.ConsumeIntegralInRange<std::int64_t>(1, 3)
                        : Amount(in);
    line.amount_minor = Amount(in);
    line.voided = in.ConsumeIntegralInRange(0, 7) == 0;
    b.lines.push_back(std::move(line));
  }
  const std::uint8_t extras = in.ConsumeIntegral<std::uint8_t>();
  if (extras & 1) b.rewards.push_back(Pick(in, kRewards));
  if (extras & 2) b.rewards.push_back(Pick(in, kRewards));
  if (extras & 4) b.coupons.push_back(in.ConsumeBool() ? Text("SUMMER26") : Pick(in, kRewards));
  if (extras & 8) b.gift_cards.emplace_back(Pick(in, kGiftCards), Amount(in));
  if (extras & 16) b.redeem_points = Amount(in);
  if (extras & 32) b.wallet_minor = Amount(in);
  return b;
}

const char* C(const Text& text) { return text ? text->c_str() : nullptr; }

// A basket as the POS builds it; the builder's own refusals are part of
// what is fuzzed, and the basket goes on as the calls left it.
struct Basket {
  loyalty_basket* handle = nullptr;
  explicit Basket(const BasketSpec& spec) {
    if (loyalty_basket_new(C(spec.currency), &handle) != LOYALTY_OK) return;
    std::size_t index = 0;
    for (const Line& line : spec.lines) {
      if (loyalty_basket_add_line(handle, C(line.sku), C(line.category), line.quantity,
                                  line.amount_minor) == LOYALTY_OK &&
          line.voided) {
        (void)loyalty_basket_set_line_voided(handle, index, 1);
      }
      ++index;
    }
    for (const Text& reward : spec.rewards) (void)loyalty_basket_add_reward(handle, C(reward));
    for (const Text& code : spec.coupons) (void)loyalty_basket_add_coupon(handle, C(code));
    for (const auto& [card, amount] : spec.gift_cards) {
      (void)loyalty_basket_add_gift_card(handle, C(card), amount);
    }
    if (spec.redeem_points != 0) (void)loyalty_basket_set_redeem_points(handle, spec.redeem_points);
    if (spec.wallet_minor != 0) (void)loyalty_basket_set_wallet_minor(handle, spec.wallet_minor);
  }
  ~Basket() { loyalty_basket_free(handle); }
  Basket(const Basket&) = delete;
  Basket& operator=(const Basket&) = delete;
};

// Reads every key of a result (and of its items) the way a binding that
// mirrors all of them would: a wrong type or key must be an error, never
// a crash, and every string must stay readable until the result is freed.
void Walk(const loyalty_result* r, Answer& answer, int depth) {
  int kind = 0;
  if (loyalty_result_kind_of(r, &kind) != LOYALTY_OK || depth > 3) return;
  for (int key = kind * 100; key < kind * 100 + 20; ++key) {
    std::int64_t value = 0;
    const char* text = nullptr;
    std::size_t count = 0;
    if (loyalty_result_int(r, key, &value) == LOYALTY_OK) answer.figures.push_back(value);
    if (loyalty_result_string(r, key, &text) == LOYALTY_OK) answer.texts.emplace_back(text);
    if (loyalty_result_count(r, key, &count) != LOYALTY_OK) continue;
    answer.figures.push_back(static_cast<std::int64_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
      const loyalty_result* item = nullptr;
      if (loyalty_result_int_at(r, key, i, &value) == LOYALTY_OK) answer.figures.push_back(value);
      if (loyalty_result_string_at(r, key, i, &text) == LOYALTY_OK) answer.texts.emplace_back(text);
      if (loyalty_result_item_at(r, key, i, &item) == LOYALTY_OK) Walk(item, answer, depth + 1);
    }
    (void)loyalty_result_int_at(r, key, count, &value);  // one past the end
  }
}

// The first answer of a write, as a retry must give it again: the receipt
// without the account view after it (LOYALTY_RECEIPT_CARD), which shows
// the account as it is now, and without REPLAYED.
void ReadReceipt(const loyalty_result* r, Answer& answer) {
  int kind = 0;
  (void)loyalty_result_kind_of(r, &kind);
  if (kind == LOYALTY_KIND_EXCHANGE) {
    std::int64_t replayed = 0;
    (void)loyalty_result_int(r, LOYALTY_EXCHANGE_REPLAYED, &replayed);
    answer.replayed = replayed == 1;
    for (int half : {LOYALTY_EXCHANGE_RETURNED, LOYALTY_EXCHANGE_BOUGHT}) {
      const loyalty_result* receipt = nullptr;
      if (loyalty_result_item_at(r, half, 0, &receipt) == LOYALTY_OK) {
        Answer part;
        ReadReceipt(receipt, part);
        answer.figures.insert(answer.figures.end(), part.figures.begin(), part.figures.end());
        answer.texts.insert(answer.texts.end(), part.texts.begin(), part.texts.end());
      }
    }
    return;
  }
  if (kind == LOYALTY_KIND_EXPIRY) {  // a receipt per account touched
    std::size_t count = 0;
    (void)loyalty_result_count(r, LOYALTY_EXPIRY_RECEIPTS, &count);
    answer.figures.push_back(static_cast<std::int64_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
      const loyalty_result* receipt = nullptr;
      if (loyalty_result_item_at(r, LOYALTY_EXPIRY_RECEIPTS, i, &receipt) != LOYALTY_OK) continue;
      Answer part;
      ReadReceipt(receipt, part);
      answer.figures.insert(answer.figures.end(), part.figures.begin(), part.figures.end());
      answer.texts.insert(answer.texts.end(), part.texts.begin(), part.texts.end());
    }
    return;
  }
  if (kind != LOYALTY_KIND_RECEIPT) {
    Walk(r, answer, 0);
    return;
  }
  std::int64_t replayed = 0;
  (void)loyalty_result_int(r, LOYALTY_RECEIPT_REPLAYED, &replayed);
  answer.replayed = replayed == 1;
  for (int key : {LOYALTY_RECEIPT_EARNED, LOYALTY_RECEIPT_REDEEMED,
                  LOYALTY_RECEIPT_DISCOUNT_MINOR, LOYALTY_RECEIPT_HELD,
                  LOYALTY_RECEIPT_STORED_VALUE_MINOR}) {
    std::int64_t value = 0;
    (void)loyalty_result_int(r, key, &value);
    answer.figures.push_back(value);
  }
  for (int key : {LOYALTY_RECEIPT_OP_ID, LOYALTY_RECEIPT_ACCOUNT_ID,
                  LOYALTY_RECEIPT_CARD_MASKED}) {
    const char* text = nullptr;
    if (loyalty_result_string(r, key, &text) == LOYALTY_OK) answer.texts.emplace_back(text);
  }
  for (int key : {LOYALTY_RECEIPT_LINE_POINTS, LOYALTY_RECEIPT_ENTRY_SEQS}) {
    std::size_t count = 0;
    (void)loyalty_result_count(r, key, &count);
    for (std::size_t i = 0; i < count; ++i) {
      std::int64_t value = 0;
      (void)loyalty_result_int_at(r, key, i, &value);
      answer.figures.push_back(value);
    }
  }
  for (int key : {LOYALTY_RECEIPT_VOUCHERS, LOYALTY_RECEIPT_COUPONS_ISSUED}) {
    std::size_t count = 0;
    (void)loyalty_result_count(r, key, &count);
    for (std::size_t i = 0; i < count; ++i) {
      const char* text = nullptr;
      if (loyalty_result_string_at(r, key, i, &text) == LOYALTY_OK) answer.texts.emplace_back(text);
    }
  }
}

}  // namespace

bool IsWrite(Kind kind) { return kind < Kind::kLookup; }

Call DecodeCall(FuzzedDataProvider& in) {
  Call call;
  // Sales and enrolments more often than the rest: a sale is what the
  // returns, voids and exchanges need to exist.
  constexpr int kLast = static_cast<int>(Kind::kLast);
  const int pick = in.ConsumeIntegralInRange<int>(0, kLast + 5);
  call.kind = pick <= kLast ? static_cast<Kind>(pick)
                            : (pick <= kLast + 3 ? Kind::kCommit : Kind::kEnroll);
  call.op_id = Pick(in, kOpIds);
  call.cashier = in.ConsumeBool() ? Text() : Pick(in, kNames);
  switch (call.kind) {
    case Kind::kEnroll:
    case Kind::kEnrollMember:
      call.card = Pick(in, kCards);
      call.other = in.ConsumeIntegralInRange(0, 3) != 0 ? Text() : Pick(in, kNames);  // account id
      call.name = Pick(in, kNames);
      call.extra = in.ConsumeBool() ? Text("1990-02-29") : in.ConsumeRandomLengthString(12);
      call.number2 = in.ConsumeIntegral<std::uint8_t>();  // which referrer
      break;
    case Kind::kLoadGiftCard:
    case Kind::kGiftCardBalance:
      call.card = Pick(in, kGiftCards);
      call.number = Amount(in);
      break;
    case Kind::kConfirm:
    case Kind::kRelease:
    case Kind::kRefund:
    case Kind::kRefundRest:
    case Kind::kVoid:
    case Kind::kVoidLoad:
    case Kind::kRefundLoad:
      call.card = Pick(in, kOpIds);  // the operation it points at
      call.name = Pick(in, kNames);  // operator
      call.extra = Pick(in, kEvents);  // reason
      call.number = Amount(in);
      break;
    case Kind::kRefundLines:
    case Kind::kExchange: {
      call.card = Pick(in, kOpIds);
      call.other = Pick(in, kCards);
      const int pairs = in.ConsumeIntegralInRange(0, 3);
      for (int i = 0; i < pairs; ++i) {
        call.line_numbers.push_back(in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(0, 4)
                                                     : Amount(in));
        call.quantities.push_back(in.ConsumeBool() ? 1 : Amount(in));
      }
      if (call.kind == Kind::kExchange) call.basket = DecodeBasket(in);
      break;
    }
    case Kind::kAnonymousSale:
      call.other = Pick(in, kCurrencies);
      call.number = Amount(in);
      break;
    case Kind::kExpire:
      break;
    case Kind::kTillReport:
      call.number = in.ConsumeBool() ? 0 : Amount(in);
      call.number2 = in.ConsumeBool() ? kMax : Amount(in);
      break;
    case Kind::kMoney:
      call.other = Pick(in, kCurrencies);
      call.name = in.ConsumeRandomLengthString(24);
      call.number = Amount(in);
      break;
    default:
      call.card = Pick(in, kCards);
      call.other = Pick(in, kEvents);
      call.name = Pick(in, kNames);
      call.extra = Pick(in, kEvents);
      call.number = Amount(in);
      call.number2 = in.ConsumeIntegralInRange(-1, 2);
      call.basket = DecodeBasket(in);
      break;
  }
  return call;
}

Answer Run(loyalty_terminal* t, const Call& c) {
  loyalty_result* out = nullptr;
  Answer answer;
  const char* op = C(c.op_id);
  const char* card = C(c.card);
  const char* cashier = C(c.cashier);
  auto lines = [&] {
    return c.line_numbers.empty() ? nullptr : c.line_numbers.data();
  };
  auto quantities = [&] { return c.quantities.empty() ? nullptr : c.quantities.data(); };
  switch (c.kind) {
    case Kind::kEnroll:
      answer.status = loyalty_enroll(t, op, card, C(c.other), C(c.name), cashier, &out);
      break;
    case Kind::kEnrollMember: {
      const char* referrer = kCards[static_cast<std::size_t>(c.number2) % kCards.size()];
      answer.status = loyalty_enroll_member(t, op, card, C(c.other), C(c.name), C(c.extra),
                                            c.number2 % 2 ? referrer : nullptr, cashier, &out);
      break;
    }
    case Kind::kCommit: {
      Basket basket(c.basket);
      answer.status = loyalty_commit(t, op, card, basket.handle, cashier, &out);
      break;
    }
    case Kind::kReserve: {
      Basket basket(c.basket);
      answer.status = loyalty_reserve(t, op, card, basket.handle, cashier, &out);
      break;
    }
    case Kind::kConfirm:
      answer.status = loyalty_confirm_reservation(t, op, card, &out);
      break;
    case Kind::kRelease:
      answer.status = loyalty_release_reservation(t, op, card, &out);
      break;
    case Kind::kLoadGiftCard:
      answer.status = loyalty_load_gift_card(t, op, card, c.number, &out);
      break;
    case Kind::kTopUpWallet:
      answer.status = loyalty_top_up_wallet(t, op, card, c.number, &out);
      break;
    case Kind::kVoidLoad:
      answer.status = loyalty_void_load(t, op, card, C(c.name), C(c.extra), cashier, &out);
      break;
    case Kind::kRefundLoad:
      answer.status =
          loyalty_refund_load(t, op, card, c.number, C(c.name), C(c.extra), cashier, &out);
      break;
    case Kind::kRedeem:
      answer.status = loyalty_redeem(t, op, card, c.number, C(c.extra), cashier, &out);
      break;
    case Kind::kRefund:
      answer.status = loyalty_refund(t, op, card, c.number, cashier, &out);
      break;
    case Kind::kRefundRest:
      answer.status = loyalty_refund_rest(t, op, card, cashier, &out);
      break;
    case Kind::kRefundLines:
      answer.status = loyalty_refund_lines(t, op, card, lines(), quantities(),
                                           c.line_numbers.size(), cashier, &out);
      break;
    case Kind::kExchange: {
      Basket basket(c.basket);
      answer.status = loyalty_exchange(t, op, card, lines(), quantities(), c.line_numbers.size(),
                                       C(c.other), basket.handle, cashier, &out);
      break;
    }
    case Kind::kVoid:
      answer.status = loyalty_void(t, op, card, C(c.name), C(c.extra), cashier, &out);
      break;
    case Kind::kAdjust:
      answer.status =
          loyalty_adjust(t, op, card, c.number, C(c.name), C(c.extra), cashier, &out);
      break;
    case Kind::kBlock:
      answer.status = loyalty_block(t, op, card, static_cast<int>(c.number2), C(c.name),
                                    C(c.extra), cashier, &out);
      break;
    case Kind::kRecordEvent:
      answer.status = loyalty_record_event(t, op, card, C(c.other), cashier, &out);
      break;
    case Kind::kAnonymousSale:
      answer.status = loyalty_record_anonymous_sale(t, op, C(c.other), c.number, cashier);
      break;
    case Kind::kExpire:
      answer.status = loyalty_expire(t, op, &out);
      break;
    case Kind::kLookup:
      answer.status = loyalty_lookup(t, card, &out);
      break;
    case Kind::kBalance:
      answer.status = loyalty_balance(t, card, &out);
      break;
    case Kind::kQuote: {
      Basket basket(c.basket);
      answer.status = loyalty_quote(t, card, basket.handle, &out);
      break;
    }
    case Kind::kGiftCardBalance: {
      std::int64_t balance = 0;
      answer.status = loyalty_gift_card_balance(t, card, &balance);
      answer.figures.push_back(balance);
      break;
    }
    case Kind::kHistory:
      answer.status = loyalty_history(t, card, static_cast<int>(c.number2 * 7), &out);
      break;
    case Kind::kTillReport:
      answer.status = loyalty_till_report(t, c.number, c.number2, 1, 1, &out);
      break;
    case Kind::kMoney: {
      std::int64_t minor = 0;
      std::array<char, 40> buffer{};
      std::size_t length = 0;
      answer.status = loyalty_money_parse(C(c.other), C(c.name), &minor);
      answer.error = loyalty_last_error();
      (void)loyalty_money_format(C(c.other), c.number, buffer.data(), buffer.size(), &length);
      (void)loyalty_money_format(C(c.other), c.number, nullptr, 0, &length);
      break;
    }
  }
  if (c.kind != Kind::kMoney) answer.error = loyalty_last_error();
  if (out != nullptr) {
    if (IsWrite(c.kind)) {
      ReadReceipt(out, answer);
    } else {
      Walk(out, answer, 0);
    }
  }
  loyalty_result_free(out);
  return answer;
}

}  // namespace loyalty::fuzzing
