// The C++ value types as keyed results. One function per kind; every key
// a kind documents is always set, so getters never meet a missing key.
#include "capi/capi_internal.hpp"

namespace loyalty::capi {
namespace {

std::unique_ptr<loyalty_result> New(int kind) {
  auto r = std::make_unique<loyalty_result>();
  r->kind = kind;
  return r;
}

std::unique_ptr<loyalty_result> FromReward(const RewardOption& o) {
  auto r = New(LOYALTY_KIND_REWARD);
  r->strings[LOYALTY_REWARD_ID] = o.reward_id;
  r->strings[LOYALTY_REWARD_NAME] = o.name;
  r->ints[LOYALTY_REWARD_COST] = o.cost;
  r->ints[LOYALTY_REWARD_DISCOUNT_MINOR] = o.discount_minor;
  r->ints[LOYALTY_REWARD_AVAILABLE] = o.available ? 1 : 0;
  r->strings[LOYALTY_REWARD_WHY_NOT] = o.why_not;
  r->strings[LOYALTY_REWARD_EXPLANATION] = o.explanation;
  return r;
}

std::unique_ptr<loyalty_result> FromStamps(const StampProgress& p) {
  auto r = New(LOYALTY_KIND_STAMPS);
  r->strings[LOYALTY_STAMPS_CARD] = p.card;
  r->ints[LOYALTY_STAMPS_COLLECTED] = p.collected;
  r->ints[LOYALTY_STAMPS_SPENT] = p.spent;
  r->ints[LOYALTY_STAMPS_BALANCE] = p.balance;
  r->ints[LOYALTY_STAMPS_NEEDED] = p.needed;
  r->strings[LOYALTY_STAMPS_REWARD] = p.reward;
  return r;
}

std::unique_ptr<loyalty_result> FromExplanation(const QuoteLine& line) {
  auto r = New(LOYALTY_KIND_EXPLANATION);
  r->strings[LOYALTY_EXPLANATION_RULE] = line.rule;
  r->ints[LOYALTY_EXPLANATION_POINTS] = line.points;
  r->strings[LOYALTY_EXPLANATION_TEXT] = line.explanation;
  return r;
}

std::unique_ptr<loyalty_result> FromEntry(const HistoryEntry& e) {
  auto r = New(LOYALTY_KIND_ENTRY);
  r->ints[LOYALTY_ENTRY_SEQ] = e.seq;
  r->ints[LOYALTY_ENTRY_AT_MS] = e.at.time_since_epoch().count();
  r->strings[LOYALTY_ENTRY_OP_ID] = e.op_id;
  r->ints[LOYALTY_ENTRY_KIND] = static_cast<int>(e.kind);
  r->strings[LOYALTY_ENTRY_KIND_NAME] = EntryKindName(e.kind);
  r->ints[LOYALTY_ENTRY_POINTS] = e.points;
  r->ints[LOYALTY_ENTRY_AMOUNT_MINOR] = e.amount_minor;
  r->strings[LOYALTY_ENTRY_CURRENCY] = e.currency;
  r->ints[LOYALTY_ENTRY_REVERSES_SEQ] = e.reverses_seq.value_or(0);
  r->strings[LOYALTY_ENTRY_NOTE] = e.note;
  return r;
}

std::unique_ptr<loyalty_result> FromFigures(const TillFigures& f) {
  auto r = New(LOYALTY_KIND_FIGURES);
  r->strings[LOYALTY_FIGURES_CASHIER_ID] = f.cashier_id;
  r->ints[LOYALTY_FIGURES_POINTS_ISSUED] = f.points_issued;
  r->ints[LOYALTY_FIGURES_POINTS_REDEEMED] = f.points_redeemed;
  r->ints[LOYALTY_FIGURES_POINTS_EXPIRED] = f.points_expired;
  r->ints[LOYALTY_FIGURES_POINTS_REVERSED_EARNED] = f.points_reversed_earned;
  r->ints[LOYALTY_FIGURES_POINTS_REVERSED_REDEEMED] = f.points_reversed_redeemed;
  r->ints[LOYALTY_FIGURES_POINTS_ADJUSTED] = f.points_adjusted;
  r->ints[LOYALTY_FIGURES_REWARDS_GIVEN] = f.rewards_given;
  r->ints[LOYALTY_FIGURES_MEMBER_SALES] = f.member_sales;
  r->ints[LOYALTY_FIGURES_MEMBER_SALES_MINOR] = f.member_sales_minor;
  r->ints[LOYALTY_FIGURES_ANONYMOUS_SALES] = f.anonymous_sales;
  r->ints[LOYALTY_FIGURES_ANONYMOUS_SALES_MINOR] = f.anonymous_sales_minor;
  r->ints[LOYALTY_FIGURES_CARD_SHARE_BP] = f.card_share_bp;
  r->ints[LOYALTY_FIGURES_AVERAGE_MEMBER_BASKET_MINOR] = f.average_member_basket_minor;
  r->ints[LOYALTY_FIGURES_AVERAGE_ANONYMOUS_BASKET_MINOR] = f.average_anonymous_basket_minor;
  r->ints[LOYALTY_FIGURES_NEW_MEMBERS] = f.new_members;
  r->ints[LOYALTY_FIGURES_REDEMPTIONS] = f.redemptions;
  r->ints[LOYALTY_FIGURES_ACTIVE_MEMBERS] = f.active_members;
  r->ints[LOYALTY_FIGURES_ACTIVATION_RATE_BP] = f.activation_rate_bp;
  r->ints[LOYALTY_FIGURES_COUPONS_USED] = f.coupons_used;
  r->ints[LOYALTY_FIGURES_GIFT_CARD_LOADED_MINOR] = f.gift_card_loaded_minor;
  r->ints[LOYALTY_FIGURES_GIFT_CARD_SPENT_MINOR] = f.gift_card_spent_minor;
  r->ints[LOYALTY_FIGURES_WALLET_LOADED_MINOR] = f.wallet_loaded_minor;
  r->ints[LOYALTY_FIGURES_WALLET_SPENT_MINOR] = f.wallet_spent_minor;
  r->ints[LOYALTY_FIGURES_LOAD_VOIDS] = f.load_voids;
  r->ints[LOYALTY_FIGURES_GIFT_CARD_VOIDED_MINOR] = f.gift_card_voided_minor;
  r->ints[LOYALTY_FIGURES_WALLET_VOIDED_MINOR] = f.wallet_voided_minor;
  return r;
}

}  // namespace

std::unique_ptr<loyalty_result> FromCardView(const CardView& v) {
  auto r = New(LOYALTY_KIND_CARD);
  r->strings[LOYALTY_CARD_ACCOUNT_ID] = v.account_id;
  r->strings[LOYALTY_CARD_NAME] = v.name;
  r->strings[LOYALTY_CARD_MASKED] = v.card_masked;
  r->ints[LOYALTY_CARD_AVAILABLE] = v.available;
  r->ints[LOYALTY_CARD_PENDING] = v.pending;
  r->ints[LOYALTY_CARD_BALANCE] = v.balance;
  r->strings[LOYALTY_CARD_TIER] = v.tier;
  r->strings[LOYALTY_CARD_SEGMENT] = v.segment;
  r->ints[LOYALTY_CARD_IS_BLOCKED] = v.blocked ? 1 : 0;
  auto& rewards = r->items[LOYALTY_CARD_REWARDS];
  for (const RewardOption& o : v.rewards) rewards.push_back(FromReward(o));
  auto& stamps = r->items[LOYALTY_CARD_STAMPS];
  for (const StampProgress& p : v.stamps) stamps.push_back(FromStamps(p));
  r->ints[LOYALTY_CARD_HELD] = v.held;
  r->ints[LOYALTY_CARD_WALLET_MINOR] = v.wallet_minor;
  return r;
}

std::unique_ptr<loyalty_result> FromBalance(const PointsBalance& b) {
  auto r = New(LOYALTY_KIND_BALANCE);
  r->strings[LOYALTY_BALANCE_ACCOUNT_ID] = b.account_id;
  r->ints[LOYALTY_BALANCE_AVAILABLE] = b.available;
  r->ints[LOYALTY_BALANCE_PENDING] = b.pending;
  r->ints[LOYALTY_BALANCE_BALANCE] = b.balance;
  r->ints[LOYALTY_BALANCE_HELD] = b.held;
  r->ints[LOYALTY_BALANCE_IS_BLOCKED] = b.blocked ? 1 : 0;
  return r;
}

std::unique_ptr<loyalty_result> FromQuote(const Quote& q) {
  auto r = New(LOYALTY_KIND_QUOTE);
  r->strings[LOYALTY_QUOTE_CURRENCY] = q.currency;
  r->ints[LOYALTY_QUOTE_BASKET_MINOR] = q.basket_minor;
  r->ints[LOYALTY_QUOTE_DISCOUNT_MINOR] = q.discount_minor;
  r->ints[LOYALTY_QUOTE_ELIGIBLE_MINOR] = q.eligible_minor;
  r->ints[LOYALTY_QUOTE_POINTS_TO_EARN] = q.points_to_earn;
  r->ints[LOYALTY_QUOTE_POINTS_TO_SPEND] = q.points_to_spend;
  r->int_lists[LOYALTY_QUOTE_LINE_POINTS] = q.line_points;
  r->int_lists[LOYALTY_QUOTE_LINE_DISCOUNTS] = q.line_discounts;
  auto& lines = r->items[LOYALTY_QUOTE_EXPLANATIONS];
  for (const QuoteLine& line : q.lines) lines.push_back(FromExplanation(line));
  auto& rewards = r->items[LOYALTY_QUOTE_REWARDS];
  for (const RewardOption& o : q.rewards) rewards.push_back(FromReward(o));
  r->strings[LOYALTY_QUOTE_TIER] = q.tier.tier;
  r->strings[LOYALTY_QUOTE_NEXT_TIER] = q.tier.next_tier;
  r->ints[LOYALTY_QUOTE_TIER_MEASURE] = q.tier.measure;
  r->ints[LOYALTY_QUOTE_TIER_TO_NEXT] = q.tier.to_next;
  r->strings[LOYALTY_QUOTE_SEGMENT] = q.segment;
  auto& refused = r->items[LOYALTY_QUOTE_REFUSED_REWARDS];
  for (const RefusedReward& x : q.refused_rewards) {
    auto item = New(LOYALTY_KIND_REFUSED_REWARD);
    item->strings[LOYALTY_REFUSED_REWARD_ID] = x.reward_id;
    item->ints[LOYALTY_REFUSED_REWARD_STATUS] = static_cast<int>(x.code);
    item->strings[LOYALTY_REFUSED_REWARD_REASON] = x.reason;
    refused.push_back(std::move(item));
  }
  auto& stamps = r->items[LOYALTY_QUOTE_STAMPS];
  for (const StampProgress& p : q.stamps) stamps.push_back(FromStamps(p));
  r->int_lists[LOYALTY_QUOTE_LINE_STAMPS] = q.line_stamps;
  r->string_lists[LOYALTY_QUOTE_COUPONS_TO_ISSUE] = q.coupons_to_issue;
  return r;
}

std::unique_ptr<loyalty_result> FromReceipt(const Receipt& receipt) {
  auto r = New(LOYALTY_KIND_RECEIPT);
  r->strings[LOYALTY_RECEIPT_OP_ID] = receipt.op_id;
  r->strings[LOYALTY_RECEIPT_ACCOUNT_ID] = receipt.account_id;
  r->strings[LOYALTY_RECEIPT_CARD_MASKED] = receipt.card_masked;
  r->ints[LOYALTY_RECEIPT_EARNED] = receipt.earned;
  r->ints[LOYALTY_RECEIPT_REDEEMED] = receipt.redeemed;
  r->ints[LOYALTY_RECEIPT_DISCOUNT_MINOR] = receipt.discount_minor;
  r->ints[LOYALTY_RECEIPT_REPLAYED] = receipt.replayed ? 1 : 0;
  r->int_lists[LOYALTY_RECEIPT_LINE_POINTS] = receipt.line_points;
  r->string_lists[LOYALTY_RECEIPT_VOUCHERS] = receipt.vouchers;
  auto& lines = r->items[LOYALTY_RECEIPT_EXPLANATIONS];
  for (const QuoteLine& line : receipt.explanations) lines.push_back(FromExplanation(line));
  r->int_lists[LOYALTY_RECEIPT_ENTRY_SEQS] = receipt.entry_seqs;
  r->items[LOYALTY_RECEIPT_CARD].push_back(FromCardView(receipt.after));
  r->ints[LOYALTY_RECEIPT_HELD] = receipt.held;
  r->ints[LOYALTY_RECEIPT_STORED_VALUE_MINOR] = receipt.stored_value_minor;
  r->string_lists[LOYALTY_RECEIPT_COUPONS_ISSUED] = receipt.coupons_issued;
  auto& stamps = r->items[LOYALTY_RECEIPT_STAMPS];
  for (const StampProgress& p : receipt.stamps) stamps.push_back(FromStamps(p));
  return r;
}

std::unique_ptr<loyalty_result> FromReceipts(const std::vector<Receipt>& receipts) {
  auto r = New(LOYALTY_KIND_EXPIRY);
  auto& items = r->items[LOYALTY_EXPIRY_RECEIPTS];
  for (const Receipt& receipt : receipts) items.push_back(FromReceipt(receipt));
  return r;
}

std::unique_ptr<loyalty_result> FromExchange(const ExchangeReceipt& exchange) {
  auto r = New(LOYALTY_KIND_EXCHANGE);
  r->strings[LOYALTY_EXCHANGE_OP_ID] = exchange.bought.op_id;
  r->items[LOYALTY_EXCHANGE_RETURNED].push_back(FromReceipt(exchange.returned));
  r->items[LOYALTY_EXCHANGE_BOUGHT].push_back(FromReceipt(exchange.bought));
  r->ints[LOYALTY_EXCHANGE_REPLAYED] = exchange.replayed ? 1 : 0;
  return r;
}

std::unique_ptr<loyalty_result> FromHistory(const std::vector<HistoryEntry>& entries) {
  auto r = New(LOYALTY_KIND_HISTORY);
  auto& items = r->items[LOYALTY_HISTORY_ENTRIES];
  for (const HistoryEntry& e : entries) items.push_back(FromEntry(e));
  return r;
}

std::unique_ptr<loyalty_result> FromVerify(const VerifyReport& report) {
  auto r = New(LOYALTY_KIND_VERIFY);
  r->ints[LOYALTY_VERIFY_OK] = report.ok ? 1 : 0;
  r->ints[LOYALTY_VERIFY_ENTRIES_CHECKED] = report.entries_checked;
  r->ints[LOYALTY_VERIFY_ACCOUNTS_CHECKED] = report.accounts_checked;
  r->ints[LOYALTY_VERIFY_FIRST_BAD_SEQ] = report.first_bad_seq;
  r->strings[LOYALTY_VERIFY_PROBLEM] = report.problem;
  return r;
}

std::unique_ptr<loyalty_result> FromProgram(const ProgramInfo& program) {
  auto r = New(LOYALTY_KIND_PROGRAM);
  r->strings[LOYALTY_PROGRAM_ID] = program.id;
  r->ints[LOYALTY_PROGRAM_VERSION] = program.version;
  r->strings[LOYALTY_PROGRAM_NAME] = program.name;
  r->strings[LOYALTY_PROGRAM_CURRENCY] = program.currency;
  r->strings[LOYALTY_PROGRAM_TIME_ZONE] = program.time_zone;
  return r;
}

std::unique_ptr<loyalty_result> FromTillReport(const TillReportData& report) {
  auto r = New(LOYALTY_KIND_REPORT);
  r->strings[LOYALTY_REPORT_TERMINAL_ID] = report.terminal_id;
  r->strings[LOYALTY_REPORT_STORE_ID] = report.store_id;
  r->ints[LOYALTY_REPORT_FROM_MS] = report.from.time_since_epoch().count();
  r->ints[LOYALTY_REPORT_TO_MS] = report.to.time_since_epoch().count();
  r->strings[LOYALTY_REPORT_CURRENCY] = report.currency;
  r->ints[LOYALTY_REPORT_OUTSTANDING_POINTS] = report.outstanding_points;
  r->ints[LOYALTY_REPORT_OUTSTANDING_MINOR] = report.outstanding_minor;
  r->ints[LOYALTY_REPORT_POINT_VALUE_MINOR] = report.point_value.minor;
  r->ints[LOYALTY_REPORT_POINT_VALUE_POINTS] = report.point_value.points;
  r->ints[LOYALTY_REPORT_SYNC_BUILT] = report.sync_built ? 1 : 0;
  r->ints[LOYALTY_REPORT_UNSYNCED_ENTRIES] = report.unsynced_entries;
  r->items[LOYALTY_REPORT_TOTAL].push_back(FromFigures(report.total));
  auto& cashiers = r->items[LOYALTY_REPORT_CASHIERS];
  for (const TillFigures& f : report.cashiers) cashiers.push_back(FromFigures(f));
  r->strings[LOYALTY_REPORT_TEXT] = TillReportText(report);
  r->strings[LOYALTY_REPORT_JSON] = TillReportJson(report);
  return r;
}

std::unique_ptr<loyalty_result> FromCardRead(const CardRead& read) {
  auto r = New(LOYALTY_KIND_CARD_READ);
  r->strings[LOYALTY_READ_CARD] = read.card.value();
  r->strings[LOYALTY_READ_MASKED] = read.card.Masked();
  r->ints[LOYALTY_READ_SOURCE] = static_cast<int>(read.source);
  r->strings[LOYALTY_READ_SOURCE_NAME] = CardSourceName(read.source);
  r->ints[LOYALTY_READ_AT_MS] = read.at.time_since_epoch().count();
  return r;
}

}  // namespace loyalty::capi
