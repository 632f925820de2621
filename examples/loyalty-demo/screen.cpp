#include "screen.hpp"

#include <cstdio>
#include <ctime>

namespace loyalty_demo {

std::string FormatMoney(std::int64_t minor, const loyalty::Currency& currency) {
  return loyalty::Money(minor, currency).ToString();
}

std::string FormatPoints(loyalty::Points points) {
  return std::to_string(points) + (points == 1 || points == -1 ? " point" : " points");
}

std::string FormatTime(loyalty::Timestamp at) {
  const std::time_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

void PrintCard(std::ostream& out, const loyalty::CardView& card,
               const loyalty::Currency& currency) {
  out << "  " << (card.name.empty() ? "(no name)" : card.name) << "  card " << card.card_masked
      << "  account " << card.account_id << '\n';
  if (card.blocked) out << "  ** CARD BLOCKED: do not accept it for points **\n";
  out << "  available " << FormatPoints(card.available) << ", pending "
      << FormatPoints(card.pending) << " (return window), balance " << FormatPoints(card.balance)
      << '\n';
  if (card.balance < 0) {
    out << "  owes " << FormatPoints(-card.balance)
        << ": repaid from the next purchases before anything is spendable\n";
  }
  if (card.held > 0) out << "  held by an open sale: " << FormatPoints(card.held) << '\n';
  if (card.wallet_minor != 0) {
    out << "  wallet " << FormatMoney(card.wallet_minor, currency) << '\n';
  }
  if (!card.tier.empty()) out << "  tier " << card.tier << '\n';
}

void PrintReceipt(std::ostream& out, const loyalty::Receipt& receipt,
                  const loyalty::Currency& currency) {
  if (receipt.replayed) {
    out << "  already recorded: '" << receipt.op_id
        << "' was booked before; nothing written again\n";
  }
  out << "  " << receipt.op_id << "  card " << receipt.card_masked << '\n';
  if (receipt.earned > 0) out << "  earned      +" << FormatPoints(receipt.earned) << '\n';
  if (receipt.earned < 0) out << "  taken back  " << FormatPoints(receipt.earned) << '\n';
  if (receipt.redeemed > 0) out << "  spent       -" << FormatPoints(receipt.redeemed) << '\n';
  if (receipt.redeemed < 0) out << "  given back  +" << FormatPoints(-receipt.redeemed) << '\n';
  if (receipt.discount_minor != 0) {
    out << "  discount " << FormatMoney(receipt.discount_minor, currency) << '\n';
  }
  for (const auto& line : receipt.explanations) {
    if (!line.explanation.empty()) out << "    - " << line.explanation << '\n';
  }
  for (const auto& code : receipt.vouchers) out << "  voucher " << code << '\n';
  for (const auto& code : receipt.coupons_issued) out << "  coupon for next visit " << code << '\n';
  out << "  now: available " << FormatPoints(receipt.after.available) << ", pending "
      << FormatPoints(receipt.after.pending) << ", balance " << FormatPoints(receipt.after.balance)
      << '\n';
  if (receipt.after.balance < 0) {
    out << "  owes " << FormatPoints(-receipt.after.balance)
        << ": repaid from the next purchases before anything is spendable\n";
  }
}

void PrintHistory(std::ostream& out, const std::vector<loyalty::HistoryEntry>& entries,
                  const loyalty::Currency& currency) {
  if (entries.empty()) {
    out << "  (no entries)\n";
    return;
  }
  for (const auto& e : entries) {
    char head[96];
    std::snprintf(head, sizeof head, "  #%-4lld %s  %-16s %+6lld", static_cast<long long>(e.seq),
                  FormatTime(e.at).c_str(), loyalty::EntryKindName(e.kind),
                  static_cast<long long>(e.points));
    out << head;
    if (e.amount_minor != 0) out << "  " << FormatMoney(e.amount_minor, currency);
    out << "  " << e.op_id;
    if (e.reverses_seq) out << "  (reverses #" << *e.reverses_seq << ")";
    if (!e.note.empty()) out << "  " << e.note;
    out << '\n';
  }
}

void PrintVerify(std::ostream& out, const loyalty::VerifyReport& report) {
  if (report.ok) {
    out << "  verify OK: " << report.entries_checked
        << (report.entries_checked == 1 ? " entry, " : " entries, ") << report.accounts_checked
        << (report.accounts_checked == 1 ? " account" : " accounts")
        << "; chain and balances intact\n";
    return;
  }
  out << "  verify FAILED";
  if (report.first_bad_seq != 0) out << " at entry #" << report.first_bad_seq;
  out << ": " << report.problem << '\n';
}

}  // namespace loyalty_demo
