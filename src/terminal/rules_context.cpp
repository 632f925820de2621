// What the pure engine needs to know about the card, the till and the
// clock, gathered from the ledger and the store's time zone.
#include <chrono>

#include "terminal/terminal_impl.hpp"

namespace loyalty {

using std::chrono::milliseconds;

engine::LocalTime Terminal::Impl::Local(std::int64_t utc_ms) const {
  const date::sys_time<milliseconds> utc{milliseconds(utc_ms)};
  const auto local = zone ? zone->to_local(utc)
                          : date::local_time<milliseconds>(utc.time_since_epoch());
  const auto day = date::floor<date::days>(local);
  engine::LocalTime t;
  t.day = day.time_since_epoch().count();
  t.weekday = static_cast<int>(date::weekday(day).c_encoding());
  t.minute = static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  return t;
}

std::int64_t Terminal::Impl::LocalMidnightUtc(std::int64_t local_day) const {
  const date::local_days day{date::days(local_day)};
  if (!zone) return std::chrono::duration_cast<milliseconds>(day.time_since_epoch()).count();
  // A midnight skipped by a DST change maps to the first instant after it.
  const auto utc = zone->to_sys(date::local_time<milliseconds>(day), date::choose::earliest);
  return utc.time_since_epoch().count();
}

Result<engine::Context> Terminal::Impl::ContextFor(const std::string& account_id,
                                                   const ledger::Book& book,
                                                   std::int64_t now) const {
  engine::Context c;
  c.local = Local(now);
  c.store_id = options.store_id;
  c.terminal_id = options.terminal_id;
  c.available = book.Available(now);
  if (program.tiers) {
    auto a = ledger->ActivitySince(account_id,
                                   now - program.tiers->window_days * terminal::kDayMs);
    if (!a.ok()) return a.status();
    c.tier_measure =
        program.tiers->measure == engine::TierMeasure::kSpend ? a->spend_minor : a->earned;
    if (const int months = program.tiers->evaluation_months; months > 0) {
      // The start of the current evaluation period, on the store's calendar.
      const std::chrono::year_month_day today{
          std::chrono::sys_days{std::chrono::days{c.local.day}}};
      const int month0 = static_cast<int>(static_cast<unsigned>(today.month())) - 1;
      const std::chrono::year_month_day start{
          today.year(), std::chrono::month{static_cast<unsigned>(month0 / months * months + 1)},
          std::chrono::day{1}};
      const std::int64_t evaluated_at = LocalMidnightUtc(
          std::chrono::sys_days{start}.time_since_epoch().count());
      auto then = ledger->ActivitySince(
          account_id, evaluated_at - program.tiers->window_days * terminal::kDayMs,
          evaluated_at);
      if (!then.ok()) return then.status();
      c.tier_measure_at_evaluation = program.tiers->measure == engine::TierMeasure::kSpend
                                         ? then->spend_minor
                                         : then->earned;
    }
  }
  const auto& seg = program.segments;
  auto visits = ledger->ActivitySince(account_id, now - seg.window_days * terminal::kDayMs);
  if (!visits.ok()) return visits.status();
  auto account = ledger->FindAccount(account_id);
  if (!account.ok()) return account.status();
  const std::int64_t enrolled = *account ? (*account)->created_at : now;
  if (now - enrolled < seg.new_days * terminal::kDayMs) {
    c.segment = "new";
  } else if (visits->last_visit_at == 0 ||
             now - visits->last_visit_at >= seg.lapsing_days * terminal::kDayMs) {
    c.segment = "lapsing";
  } else if (visits->visits >= seg.loyal_visits) {
    c.segment = "loyal";
  } else {
    c.segment = "regular";
  }
  if (program.cap_per_day) {
    auto today = ledger->EarnedSince(account_id, LocalMidnightUtc(c.local.day));
    if (!today.ok()) return today.status();
    c.earned_today = *today;
  }
  if (!program.stamp_cards.empty()) {
    auto stamps = ledger->StampBalances(account_id);
    if (!stamps.ok()) return stamps.status();
    c.stamps = std::move(*stamps);
  }
  if (!program.coupons.empty()) {
    auto coupon_uses = ledger->CouponUses(account_id);
    if (!coupon_uses.ok()) return coupon_uses.status();
    c.reward_uses.insert(coupon_uses->begin(), coupon_uses->end());
  }
  if (!program.rewards.empty()) {
    auto uses = ledger->RewardUses(account_id);
    if (!uses.ok()) return uses.status();
    c.reward_uses.insert(uses->begin(), uses->end());
    for (const engine::Reward& reward : program.rewards) {
      if (reward.per_period_days == 0) continue;
      auto n = ledger->RewardUsesSince(account_id, reward.id,
                                       now - reward.per_period_days * terminal::kDayMs);
      if (!n.ok()) return n.status();
      c.reward_uses_in_period[reward.id] = *n;
    }
    auto stock = ledger->RewardStockUsed();
    if (!stock.ok()) return stock.status();
    c.reward_stock_used = std::move(*stock);
  }
  return c;
}

Status Terminal::Impl::PayBonuses(const std::string& op_id, const std::string& account_id,
                                  ledger::Book& book, std::int64_t now, Receipt& receipt) {
  auto account = ledger->FindAccount(account_id);
  if (!account.ok()) return account.status();
  if (!*account) return Status::Ok();
  auto credit = [&](const std::string& to, ledger::Book& to_book, Points points,
                    const std::string& ref, const std::string& note) -> Status {
    ledger::EntryRecord e = NewEntry(op_id, EntryKind::kEarn, to, now);
    e.points = points;
    SetCreditDates(e);
    e.pending_until = now;
    e.ref = ref;
    e.note = note;
    if (Status s = Post(to_book, e); !s.ok()) return s;
    receipt.entry_seqs.push_back(e.seq);
    if (to == account_id) {
      receipt.earned += points;
      receipt.explanations.push_back({ref, points, note + ": " + std::to_string(points) +
                                                       " points"});
    }
    return Status::Ok();
  };
  const engine::LocalTime local = Local(now);
  const std::chrono::year_month_day today{std::chrono::sys_days{std::chrono::days{local.day}}};
  const std::string& birthday = (*account)->birthday;
  if (program.birthday_bonus > 0 && birthday.size() == 5 &&
      std::stoi(birthday.substr(0, 2)) == static_cast<int>(static_cast<unsigned>(today.month()))) {
    const std::string ref = "birthday-" + std::to_string(static_cast<int>(today.year()));
    auto paid = ledger->HasEntryWithRef(account_id, ref);
    if (!paid.ok()) return paid.status();
    if (!*paid) {
      if (Status s = credit(account_id, book, program.birthday_bonus, ref, "birthday bonus");
          !s.ok()) {
        return s;
      }
    }
  }
  const std::string& referrer = (*account)->referred_by;
  if (!referrer.empty() && (program.referral_new_member > 0 || program.referral_referrer > 0)) {
    auto paid = ledger->HasEntryWithRef(account_id, "referral");
    if (!paid.ok()) return paid.status();
    auto activity = ledger->ActivitySince(account_id, 0);
    if (!activity.ok()) return activity.status();
    // The first purchase: this sale is the only one so far.
    if (!*paid && activity->visits == 1) {
      if (Status s = credit(account_id, book, program.referral_new_member, "referral",
                            "welcome bonus for being referred");
          !s.ok()) {
        return s;
      }
      if (program.referral_referrer > 0) {
        auto referrer_book = ledger->LoadBook(referrer);
        if (!referrer_book.ok()) return referrer_book.status();
        if (Status s = credit(referrer, *referrer_book, program.referral_referrer,
                              "referral:" + account_id, "referral bonus");
            !s.ok()) {
          return s;
        }
        if (Status s = ledger->SaveBook(referrer, *referrer_book, now); !s.ok()) return s;
      }
    }
  }
  return Status::Ok();
}

}  // namespace loyalty
