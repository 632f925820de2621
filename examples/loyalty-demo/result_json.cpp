#include "result_json.hpp"

namespace loyalty_demo {
namespace {

using json = nlohmann::ordered_json;

std::int64_t Ms(loyalty::Timestamp at) { return at.time_since_epoch().count(); }
std::int64_t Ms(const std::optional<loyalty::Timestamp>& at) { return at ? Ms(*at) : 0; }

json Kind(const char* kind) { return json{{"result_kind", kind}}; }

json RewardJson(const loyalty::RewardOption& o) {
  json r = Kind("reward");
  r["id"] = o.reward_id;
  r["name"] = o.name;
  r["cost"] = o.cost;
  r["discount_minor"] = o.discount_minor;
  r["available"] = o.available ? 1 : 0;
  r["why_not"] = o.why_not;
  r["explanation"] = o.explanation;
  return r;
}

json StampsJson(const loyalty::StampProgress& p) {
  json r = Kind("stamps");
  r["card"] = p.card;
  r["collected"] = p.collected;
  r["spent"] = p.spent;
  r["balance"] = p.balance;
  r["needed"] = p.needed;
  r["reward"] = p.reward;
  return r;
}

json RefusedRewardJson(const loyalty::RefusedReward& x) {
  json r = Kind("refused_reward");
  r["id"] = x.reward_id;
  r["status"] = static_cast<int>(x.code);
  r["reason"] = x.reason;
  return r;
}

json ExplanationJson(const loyalty::QuoteLine& line) {
  json r = Kind("explanation");
  r["rule"] = line.rule;
  r["points"] = line.points;
  r["text"] = line.explanation;
  return r;
}

json EntryJson(const loyalty::HistoryEntry& e) {
  json r = Kind("entry");
  r["seq"] = e.seq;
  r["at_ms"] = Ms(e.at);
  r["op_id"] = e.op_id;
  r["kind"] = static_cast<int>(e.kind);
  r["kind_name"] = loyalty::EntryKindName(e.kind);
  r["points"] = e.points;
  r["amount_minor"] = e.amount_minor;
  r["currency"] = e.currency;
  r["reverses_seq"] = e.reverses_seq.value_or(0);
  r["note"] = e.note;
  return r;
}

json FiguresJson(const loyalty::TillFigures& f) {
  json r = Kind("figures");
  r["cashier_id"] = f.cashier_id;
  r["points_issued"] = f.points_issued;
  r["points_redeemed"] = f.points_redeemed;
  r["points_expired"] = f.points_expired;
  r["points_reversed_earned"] = f.points_reversed_earned;
  r["points_reversed_redeemed"] = f.points_reversed_redeemed;
  r["points_adjusted"] = f.points_adjusted;
  r["rewards_given"] = f.rewards_given;
  r["member_sales"] = f.member_sales;
  r["member_sales_minor"] = f.member_sales_minor;
  r["anonymous_sales"] = f.anonymous_sales;
  r["anonymous_sales_minor"] = f.anonymous_sales_minor;
  r["card_share_bp"] = f.card_share_bp;
  r["average_member_basket_minor"] = f.average_member_basket_minor;
  r["average_anonymous_basket_minor"] = f.average_anonymous_basket_minor;
  r["new_members"] = f.new_members;
  r["redemptions"] = f.redemptions;
  r["active_members"] = f.active_members;
  r["activation_rate_bp"] = f.activation_rate_bp;
  r["coupons_used"] = f.coupons_used;
  r["gift_card_loaded_minor"] = f.gift_card_loaded_minor;
  r["gift_card_spent_minor"] = f.gift_card_spent_minor;
  r["wallet_loaded_minor"] = f.wallet_loaded_minor;
  r["wallet_spent_minor"] = f.wallet_spent_minor;
  r["load_voids"] = f.load_voids;
  r["gift_card_voided_minor"] = f.gift_card_voided_minor;
  r["wallet_voided_minor"] = f.wallet_voided_minor;
  return r;
}

template <typename T, typename F>
json Items(const std::vector<T>& values, F to_json) {
  json list = json::array();
  for (const T& value : values) list.push_back(to_json(value));
  return list;
}

}  // namespace

json CardJson(const loyalty::CardView& v) {
  json r = Kind("card");
  r["account_id"] = v.account_id;
  r["name"] = v.name;
  r["masked"] = v.card_masked;
  r["available"] = v.available;
  r["pending"] = v.pending;
  r["balance"] = v.balance;
  r["tier"] = v.tier;
  r["segment"] = v.segment;
  r["is_blocked"] = v.blocked ? 1 : 0;
  r["rewards"] = Items(v.rewards, RewardJson);
  r["stamps"] = Items(v.stamps, StampsJson);
  r["held"] = v.held;
  r["wallet_minor"] = v.wallet_minor;
  return r;
}

json BalanceJson(const loyalty::PointsBalance& b) {
  json r = Kind("balance");
  r["account_id"] = b.account_id;
  r["available"] = b.available;
  r["pending"] = b.pending;
  r["balance"] = b.balance;
  r["held"] = b.held;
  r["is_blocked"] = b.blocked ? 1 : 0;
  return r;
}

json QuoteJson(const loyalty::Quote& q) {
  json r = Kind("quote");
  r["currency"] = q.currency;
  r["basket_minor"] = q.basket_minor;
  r["discount_minor"] = q.discount_minor;
  r["eligible_minor"] = q.eligible_minor;
  r["points_to_earn"] = q.points_to_earn;
  r["points_to_spend"] = q.points_to_spend;
  r["line_points"] = q.line_points;
  r["line_discounts"] = q.line_discounts;
  r["explanations"] = Items(q.lines, ExplanationJson);
  r["rewards"] = Items(q.rewards, RewardJson);
  r["tier"] = q.tier.tier;
  r["next_tier"] = q.tier.next_tier;
  r["tier_measure"] = q.tier.measure;
  r["tier_to_next"] = q.tier.to_next;
  r["segment"] = q.segment;
  r["stamps"] = Items(q.stamps, StampsJson);
  r["line_stamps"] = q.line_stamps;
  r["coupons_to_issue"] = q.coupons_to_issue;
  r["refused_rewards"] = Items(q.refused_rewards, RefusedRewardJson);
  return r;
}

json ReceiptJson(const loyalty::Receipt& receipt) {
  json r = Kind("receipt");
  r["op_id"] = receipt.op_id;
  r["account_id"] = receipt.account_id;
  r["card_masked"] = receipt.card_masked;
  r["earned"] = receipt.earned;
  r["redeemed"] = receipt.redeemed;
  r["discount_minor"] = receipt.discount_minor;
  r["replayed"] = receipt.replayed ? 1 : 0;
  r["line_points"] = receipt.line_points;
  r["vouchers"] = receipt.vouchers;
  r["explanations"] = Items(receipt.explanations, ExplanationJson);
  r["entry_seqs"] = receipt.entry_seqs;
  r["card"] = json::array({CardJson(receipt.after)});
  r["held"] = receipt.held;
  r["stored_value_minor"] = receipt.stored_value_minor;
  r["coupons_issued"] = receipt.coupons_issued;
  r["stamps"] = Items(receipt.stamps, StampsJson);
  return r;
}

json ExpiryJson(const std::vector<loyalty::Receipt>& receipts) {
  json r = Kind("expiry");
  r["receipts"] = Items(receipts, ReceiptJson);
  return r;
}

json ExchangeJson(const loyalty::ExchangeReceipt& exchange) {
  json r = Kind("exchange");
  r["op_id"] = exchange.bought.op_id;
  r["returned"] = json::array({ReceiptJson(exchange.returned)});
  r["bought"] = json::array({ReceiptJson(exchange.bought)});
  r["replayed"] = exchange.replayed ? 1 : 0;
  return r;
}

json HistoryJson(const std::vector<loyalty::HistoryEntry>& entries) {
  json r = Kind("history");
  r["entries"] = Items(entries, EntryJson);
  return r;
}

json VerifyJson(const loyalty::VerifyReport& report) {
  json r = Kind("verify");
  r["ok"] = report.ok ? 1 : 0;
  r["entries_checked"] = report.entries_checked;
  r["accounts_checked"] = report.accounts_checked;
  r["first_bad_seq"] = report.first_bad_seq;
  r["problem"] = report.problem;
  return r;
}

json ProgramJson(const loyalty::ProgramInfo& program) {
  json r = Kind("program");
  r["id"] = program.id;
  r["version"] = program.version;
  r["name"] = program.name;
  r["currency"] = program.currency;
  r["time_zone"] = program.time_zone;
  return r;
}

json ReportJson(const loyalty::TillReportData& report) {
  json r = Kind("report");
  r["terminal_id"] = report.terminal_id;
  r["store_id"] = report.store_id;
  r["from_ms"] = Ms(report.from);
  r["to_ms"] = Ms(report.to);
  r["currency"] = report.currency;
  r["outstanding_points"] = report.outstanding_points;
  r["outstanding_minor"] = report.outstanding_minor;
  r["point_value_minor"] = report.point_value.minor;
  r["point_value_points"] = report.point_value.points;
  r["sync_built"] = report.sync_built ? 1 : 0;
  r["unsynced_entries"] = report.unsynced_entries;
  r["total"] = json::array({FiguresJson(report.total)});
  r["cashiers"] = Items(report.cashiers, FiguresJson);
  r["text"] = loyalty::TillReportText(report);
  r["json"] = loyalty::TillReportJson(report);
  return r;
}

json CardReadJson(const loyalty::CardRead& read) {
  json r = Kind("card_read");
  r["card"] = read.card.value();
  r["masked"] = read.card.Masked();
  r["source"] = static_cast<int>(read.source);
  r["source_name"] = loyalty::CardSourceName(read.source);
  r["at_ms"] = Ms(read.at);
  return r;
}

json SyncStatusJson(const loyalty::SyncStatus& st) {
  json r = Kind("sync_status");
  r["is_running"] = st.running ? 1 : 0;
  r["last_success_ms"] = Ms(st.last_success);
  r["last_attempt_ms"] = Ms(st.last_attempt);
  r["head_seq"] = st.head_seq;
  r["acked_seq"] = st.acked_seq;
  r["backlog"] = st.backlog;
  r["last_error_code"] = static_cast<int>(st.last_error.code());
  r["last_error"] = st.last_error.message();
  r["consecutive_failures"] = st.consecutive_failures;
  r["next_attempt_ms"] = Ms(st.next_attempt);
  r["exception_count"] = st.exceptions;
  r["program_version"] = st.program_version;
  r["clock_offset_ms"] = st.clock_offset.count();
  r["is_halted"] = st.halted ? 1 : 0;
  return r;
}

json SyncExceptionsJson(const std::vector<loyalty::SyncException>& exceptions) {
  json r = Kind("sync_exceptions");
  r["exceptions"] = Items(exceptions, [](const loyalty::SyncException& e) {
    json item = Kind("sync_exception");
    item["seq"] = e.seq;
    item["status"] = e.status;
    item["reason"] = e.reason;
    item["batch_id"] = e.batch_id;
    item["at_ms"] = Ms(e.at);
    return item;
  });
  return r;
}

json GiftCardJson(const loyalty::CardId& gift_card, std::int64_t balance_minor) {
  json r = Kind("gift_card");
  r["masked"] = gift_card.Masked();
  r["balance_minor"] = balance_minor;
  return r;
}

json CardlessSaleJson(const loyalty::AnonymousSale& sale) {
  json r = Kind("cardless_sale");
  r["op_id"] = sale.op_id;
  r["amount_minor"] = sale.amount_minor;
  return r;
}

json KeyFileJson(const std::string& path, std::size_t bytes) {
  json r = Kind("key_file");
  r["path"] = path;
  r["bytes"] = bytes;
  return r;
}

json ErrorJson(const loyalty::Status& status, int exit_code) {
  json r = Kind("error");
  r["status"] = loyalty::StatusCodeName(status.code());
  r["code"] = static_cast<int>(status.code());
  r["message"] = status.message();
  r["exit_code"] = exit_code;
  return r;
}

}  // namespace loyalty_demo
