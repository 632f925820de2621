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
  for (const auto& stamps : card.stamps) {
    out << "  stamp card " << stamps.card << ": " << stamps.balance << " of " << stamps.needed
        << " for " << stamps.reward << '\n';
  }
  for (const auto& reward : card.rewards) {
    out << "  reward " << reward.reward_id << " (" << reward.name << ", "
        << FormatPoints(reward.cost) << "): "
        << (reward.available ? "can take it" : "not now: " + reward.why_not) << '\n';
  }
}

namespace {

std::string DescribeLine(const loyalty::BasketLine& line) {
  std::string text = line.sku;
  if (!line.category.empty()) text += " (" + line.category + ")";
  if (line.quantity != 1) text += " x" + std::to_string(line.quantity);
  if (line.voided) text += " [voided]";
  return text;
}

// "  line 0  MILK (dairy) x2      1.98 EUR": the number refund --lines takes.
std::string LineHead(std::size_t index, const loyalty::BasketLine& line,
                     const loyalty::Currency& currency) {
  char head[160];
  std::snprintf(head, sizeof head, "  line %-2zu %-28s %14s", index, DescribeLine(line).c_str(),
                FormatMoney(line.amount_minor, currency).c_str());
  return head;
}

std::string Signed(loyalty::Points points) {
  return (points >= 0 ? "+" : "") + FormatPoints(points);
}

}  // namespace

void PrintLines(std::ostream& out, const loyalty::Basket& basket,
                const std::vector<loyalty::Points>& line_points,
                const loyalty::Currency& currency) {
  for (std::size_t i = 0; i < basket.lines.size(); ++i) {
    out << LineHead(i, basket.lines[i], currency);
    if (i < line_points.size()) out << "  " << Signed(line_points[i]);
    out << '\n';
  }
}

void PrintQuote(std::ostream& out, const loyalty::Basket& basket, const loyalty::Quote& quote,
                const loyalty::Currency& currency, bool tiers_measure_spend) {
  for (std::size_t i = 0; i < basket.lines.size(); ++i) {
    out << LineHead(i, basket.lines[i], currency);
    if (i < quote.line_points.size()) out << "  " << Signed(quote.line_points[i]);
    if (i < quote.line_discounts.size() && quote.line_discounts[i] != 0) {
      out << "  less " << FormatMoney(quote.line_discounts[i], currency);
    }
    if (i < quote.line_stamps.size() && quote.line_stamps[i] != 0) {
      out << "  " << quote.line_stamps[i] << (quote.line_stamps[i] == 1 ? " stamp" : " stamps");
    }
    out << '\n';
  }
  out << "  basket " << FormatMoney(quote.basket_minor, currency);
  if (quote.discount_minor != 0) {
    out << ", rewards take off " << FormatMoney(quote.discount_minor, currency);
  }
  out << ", counts for points " << FormatMoney(quote.eligible_minor, currency) << '\n';
  out << "  would earn " << Signed(quote.points_to_earn);
  if (quote.points_to_spend != 0) {
    out << ", the rewards cost " << FormatPoints(quote.points_to_spend);
  }
  out << '\n';
  for (const auto& line : quote.lines) {
    if (!line.explanation.empty()) out << "    - " << line.explanation << '\n';
  }
  for (const auto& reward : quote.rewards) {
    out << "  reward " << reward.reward_id << " (" << reward.name << ", "
        << FormatPoints(reward.cost) << "): ";
    if (reward.available) {
      out << "can take it";
      if (reward.discount_minor != 0) {
        out << ", " << FormatMoney(reward.discount_minor, currency) << " off this basket";
      }
    } else {
      out << "not now: " << reward.why_not;
    }
    out << '\n';
    if (!reward.explanation.empty()) out << "    - " << reward.explanation << '\n';
  }
  for (const auto& refused : quote.refused_rewards) {
    out << "  asked for " << refused.reward_id << ": left out, " << refused.reason << " ("
        << loyalty::StatusCodeName(refused.code) << ": the sale would be refused)\n";
  }
  for (const auto& stamps : quote.stamps) {
    out << "  stamp card " << stamps.card << ": +" << stamps.collected;
    if (stamps.spent != 0) out << ", -" << stamps.spent << " for the reward";
    out << ", then " << stamps.balance << " of " << stamps.needed << " for " << stamps.reward
        << '\n';
  }
  if (!quote.tier.tier.empty()) {
    out << "  tier " << quote.tier.tier;
    if (!quote.tier.next_tier.empty()) {
      out << "; " << quote.tier.next_tier << " after "
          << (tiers_measure_spend ? FormatMoney(quote.tier.to_next, currency) + " more spend"
                                  : FormatPoints(quote.tier.to_next) + " more");
    } else {
      out << " (the top)";
    }
    out << '\n';
  }
  if (!quote.segment.empty()) out << "  segment " << quote.segment << '\n';
  for (const auto& coupon : quote.coupons_to_issue) {
    out << "  the sale would issue a coupon: " << coupon << '\n';
  }
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
  if (receipt.held > 0) out << "  held        " << FormatPoints(receipt.held) << '\n';
  if (receipt.discount_minor != 0) {
    out << "  discount " << FormatMoney(receipt.discount_minor, currency) << '\n';
  }
  if (receipt.stored_value_minor > 0) {
    out << "  loaded   " << FormatMoney(receipt.stored_value_minor, currency) << '\n';
  } else if (receipt.stored_value_minor < 0) {
    out << "  paid from gift cards and wallet " << FormatMoney(-receipt.stored_value_minor, currency)
        << '\n';
  }
  for (const auto& stamps : receipt.stamps) {
    out << "  stamp card " << stamps.card << ": " << stamps.balance << " of " << stamps.needed
        << " for " << stamps.reward << '\n';
  }
  for (const auto& line : receipt.explanations) {
    if (!line.explanation.empty()) out << "    - " << line.explanation << '\n';
  }
  for (const auto& code : receipt.vouchers) out << "  voucher " << code << '\n';
  for (const auto& code : receipt.coupons_issued) out << "  coupon for next visit " << code << '\n';
  out << "  now: available " << FormatPoints(receipt.after.available) << ", pending "
      << FormatPoints(receipt.after.pending) << ", balance " << FormatPoints(receipt.after.balance)
      << '\n';
  if (receipt.after.held > 0) {
    out << "  held by an open sale: " << FormatPoints(receipt.after.held) << '\n';
  }
  if (receipt.after.wallet_minor != 0) {
    out << "  wallet " << FormatMoney(receipt.after.wallet_minor, currency) << '\n';
  }
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
