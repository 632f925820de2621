// The till report, the cashier attribution it needs and sales made
// without a card. Everything here reads the ledger with plain SQL over the
// entries (the truth), so the figures reconcile with History() exactly.
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/checked.hpp"
#include "loyalty/report.hpp"
#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

namespace {

constexpr std::int64_t kBasisPoints = 10'000;

// Rates and averages round down and are 0 without a denominator.
std::int64_t Ratio(std::int64_t part, std::int64_t whole, std::int64_t scale) {
  if (whole <= 0 || part < 0) return 0;
  return internal::MulDiv(part, scale, whole, internal::Rounding::kDown).value_or(0);
}

void Finish(TillFigures& f) {
  f.card_share_bp = Ratio(f.member_sales, f.member_sales + f.anonymous_sales, kBasisPoints);
  f.average_member_basket_minor = Ratio(f.member_sales_minor, f.member_sales, 1);
  f.average_anonymous_basket_minor = Ratio(f.anonymous_sales_minor, f.anonymous_sales, 1);
  f.activation_rate_bp = Ratio(f.redemptions, f.active_members, kBasisPoints);
}

// Runs `sql` with the window bound to ?1 and ?2; `row` gets each row.
template <typename Row>
Status ForEachRow(ledger::Database& db, const char* sql, std::int64_t from, std::int64_t to,
                  Row row) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, from).Bind(2, to);
  while (true) {
    auto more = stmt->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    row(*stmt);
  }
  return Status::Ok();
}

// The cashier of each row: '' when the operation was not attributed.
constexpr const char* kCashierJoin =
    " LEFT JOIN op_cashiers c ON c.op_id = x.op_id ";

// `from_where` may end in "GROUP BY <columns>"; per cashier, the cashier
// joins the grouping.
std::string Sql(const std::string& select, const std::string& from_where,
                bool per_cashier) {
  if (per_cashier) {
    std::string where = from_where.substr(from_where.find(" WHERE "));
    const auto group = where.find(" GROUP BY ");
    std::string group_by = " GROUP BY 1";
    if (group != std::string::npos) {
      group_by += ", " + where.substr(group + 10);
      where = where.substr(0, group);
    }
    return "SELECT COALESCE(c.cashier_id, '') AS cashier, " + select + " FROM " +
           from_where.substr(0, from_where.find(" WHERE ")) + kCashierJoin + where + group_by;
  }
  return "SELECT '', " + select + " FROM " + from_where;
}

}  // namespace

Status Terminal::Impl::SaveCashier(const std::string& op_id, const std::string& cashier_id) {
  if (cashier_id.empty()) return Status::Ok();
  if (cashier_id.size() > terminal::kMaxOpIdLength) {
    return {StatusCode::kInvalidArgument,
            "cashier_id: longer than " + std::to_string(terminal::kMaxOpIdLength) +
                " characters"};
  }
  // Prepared per call: only attributed operations write here, and the
  // statement is nothing beside the operation's fsync.
  auto stmt = ledger->database().Prepare(
      "INSERT INTO op_cashiers(op_id, cashier_id) VALUES (?1, ?2) "
      "ON CONFLICT(op_id) DO NOTHING");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, op_id).Bind(2, cashier_id).Run();
}

Status Terminal::RecordAnonymousSale(const AnonymousSale& sale) {
  Impl& im = *impl_;
  if (Status s = im.CheckWritable("RecordAnonymousSale"); !s.ok()) return s;
  if (Status s = terminal::CheckRequest(sale); !s.ok()) return s;
  if (Status s = terminal::CheckOpId(sale.op_id); !s.ok()) return s;
  if (sale.amount_minor < 0) {
    return {StatusCode::kAmountNegative,
            "amount_minor: " + std::to_string(sale.amount_minor) + " is negative"};
  }
  std::lock_guard<std::mutex> guard(im.mutex);
  const std::string currency(im.program.currency.code());
  if (sale.currency != currency) {
    return {StatusCode::kCurrencyMismatch,
            "currency: '" + sale.currency + "' but the program trades in " + currency};
  }
  ledger::Database& db = im.ledger->database();
  ledger::Transaction tx(db);
  if (!tx.begun().ok()) return tx.begun();
  auto member_op = im.ledger->FindOperation(sale.op_id);
  if (!member_op.ok()) return member_op.status();
  if (*member_op) {
    return {StatusCode::kDuplicateIdConflict,
            "op_id '" + sale.op_id + "' was already used for a " + (*member_op)->kind};
  }
  auto find = db.Prepare("SELECT amount_minor, currency FROM anonymous_sales WHERE op_id = ?1");
  if (!find.ok()) return find.status();
  find->Bind(1, sale.op_id);
  auto found = find->Step();
  if (!found.ok()) return found.status();
  if (*found) {
    if (find->Int(0) != sale.amount_minor || find->Text(1) != sale.currency) {
      return {StatusCode::kDuplicateIdConflict,
              "op_id '" + sale.op_id + "' was already used for an anonymous sale of " +
                  std::to_string(find->Int(0)) + " " + find->Text(1)};
    }
    return Status::Ok();  // a retry: the first one stands
  }
  auto insert = db.Prepare(
      "INSERT INTO anonymous_sales(op_id, amount_minor, currency, at) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  if (Status s = insert->Bind(1, sale.op_id).Bind(2, sale.amount_minor)
                     .Bind(3, sale.currency).Bind(4, im.NowMs()).Run();
      !s.ok()) {
    return s;
  }
  if (Status s = im.SaveCashier(sale.op_id, sale.cashier_id); !s.ok()) return s;
  return tx.Commit();
}

Result<TillReportData> Terminal::TillReport(Timestamp from, Timestamp to,
                                            PointValue point_value) const {
  Impl& im = *impl_;
  const std::int64_t from_ms = from.time_since_epoch().count();
  const std::int64_t to_ms = to.time_since_epoch().count();
  if (from_ms > to_ms) {
    return Status(StatusCode::kInvalidArgument,
                  "from: " + std::to_string(from_ms) + " is after to: " +
                      std::to_string(to_ms));
  }
  if (point_value.minor < 0) {
    return Status(StatusCode::kInvalidArgument,
                  "point_value.minor: " + std::to_string(point_value.minor) +
                      " is negative");
  }
  if (point_value.points <= 0) {
    return Status(StatusCode::kInvalidArgument,
                  "point_value.points: " + std::to_string(point_value.points) +
                      " must be > 0");
  }
  std::lock_guard<std::mutex> guard(im.mutex);
  if (point_value.minor == 0 && im.program.point_value_minor > 0) {
    // Not given: what a point pays as a tender, when the program says.
    point_value = {im.program.point_value_minor, 1};
  }
  ledger::Database& db = im.ledger->database();
  TillReportData report;
  report.terminal_id = im.options.terminal_id;
  report.store_id = im.options.store_id;
  report.from = from;
  report.to = to;
  report.currency = std::string(im.program.currency.code());
  report.point_value = point_value;

  std::map<std::string, TillFigures> cashiers;
  for (const bool per_cashier : {true, false}) {
    auto figures = [&](const ledger::Statement& s) -> TillFigures& {
      if (!per_cashier) return report.total;
      TillFigures& f = cashiers[s.Text(0)];
      f.cashier_id = s.Text(0);
      return f;
    };
    // Points by kind of entry (and by cashier); a program entry is no
    // cashier's and moves none.
    const std::string points_sql =
        per_cashier
            ? "SELECT COALESCE(c.cashier_id, ''), x.kind, SUM(x.points) FROM entries x" +
                  std::string(kCashierJoin) +
                  "WHERE x.at >= ?1 AND x.at < ?2 AND x.kind <> 'program' GROUP BY 1, 2"
            : "SELECT '', x.kind, SUM(x.points) FROM entries x "
              "WHERE x.at >= ?1 AND x.at < ?2 AND x.kind <> 'program' GROUP BY 2";
    Status s = ForEachRow(db, points_sql.c_str(), from_ms, to_ms, [&](const ledger::Statement& row) {
      TillFigures& f = figures(row);
      const std::string kind = row.Text(1);
      const Points sum = row.Int(2);
      if (kind == EntryKindName(EntryKind::kEarn)) f.points_issued += sum;
      if (kind == EntryKindName(EntryKind::kRedeem)) f.points_redeemed -= sum;
      if (kind == EntryKindName(EntryKind::kExpire)) f.points_expired -= sum;
      if (kind == EntryKindName(EntryKind::kEarnReversal)) f.points_reversed_earned -= sum;
      if (kind == EntryKindName(EntryKind::kRedeemReversal)) f.points_reversed_redeemed += sum;
      if (kind == EntryKindName(EntryKind::kAdjust)) f.points_adjusted += sum;
    });
    if (!s.ok()) return s;

    // Sales with a card: one earn entry per sale (or confirmed reservation)
    // carries what was paid.
    s = ForEachRow(db,
                   Sql("COUNT(*), COALESCE(SUM(x.amount_minor), 0)",
                       "entries x WHERE x.kind = 'earn' AND x.at >= ?1 AND x.at < ?2 AND "
                       "x.op_id IN (SELECT op_id FROM operations WHERE kind IN ('sale', "
                       "'reservation', 'exchange'))",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     TillFigures& f = figures(row);
                     f.member_sales += row.Int(1);
                     f.member_sales_minor += row.Int(2);
                   });
    if (!s.ok()) return s;

    s = ForEachRow(db,
                   Sql("COUNT(*), COALESCE(SUM(x.amount_minor), 0)",
                       "anonymous_sales x WHERE x.at >= ?1 AND x.at < ?2", per_cashier)
                       .c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     TillFigures& f = figures(row);
                     f.anonymous_sales += row.Int(1);
                     f.anonymous_sales_minor += row.Int(2);
                   });
    if (!s.ok()) return s;

    s = ForEachRow(db,
                   Sql("COUNT(*)",
                       "reward_uses x WHERE x.reversed = 0 AND x.at >= ?1 AND x.at < ?2",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     figures(row).rewards_given += row.Int(1);
                   });
    if (!s.ok()) return s;

    // A new member: the account's first enrolment entry is in the window.
    s = ForEachRow(db,
                   Sql("COUNT(*)",
                       "entries x WHERE x.kind = 'enroll' AND x.at >= ?1 AND x.at < ?2 AND "
                       "NOT EXISTS (SELECT 1 FROM entries p WHERE p.account_id = "
                       "x.account_id AND p.kind = 'enroll' AND p.seq < x.seq)",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     figures(row).new_members += row.Int(1);
                   });
    if (!s.ok()) return s;

    s = ForEachRow(db,
                   Sql("COUNT(DISTINCT x.op_id)",
                       "entries x WHERE x.kind = 'redeem' AND x.at >= ?1 AND x.at < ?2",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     figures(row).redemptions += row.Int(1);
                   });
    if (!s.ok()) return s;

    // Active: bought or spent points (a sale or a redemption) in the window.
    s = ForEachRow(db,
                   Sql("COUNT(DISTINCT x.account_id)",
                       "entries x WHERE x.kind IN ('earn', 'redeem') AND x.at >= ?1 AND "
                       "x.at < ?2 AND x.op_id IN (SELECT op_id FROM operations WHERE kind "
                       "IN ('sale', 'reservation', 'redeem', 'exchange'))",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     figures(row).active_members += row.Int(1);
                   });
    if (!s.ok()) return s;

    s = ForEachRow(db,
                   Sql("COUNT(*)",
                       "coupon_uses x WHERE x.reversed = 0 AND EXISTS (SELECT 1 FROM "
                       "entries e WHERE e.op_id = x.op_id AND e.at >= ?1 AND e.at < ?2)",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     figures(row).coupons_used += row.Int(1);
                   });
    if (!s.ok()) return s;

    // Money moves: stored_value entries carry it in `units`, by `ref`. A
    // negative one that reverses another is a load taken back (VoidLoad):
    // a payment reverses nothing and the refund of a payment is positive.
    s = ForEachRow(db,
                   Sql("x.ref, COALESCE(SUM(CASE WHEN x.units > 0 THEN x.units END), 0), "
                       "COALESCE(SUM(CASE WHEN x.units < 0 AND x.reverses_seq IS NULL "
                       "THEN -x.units END), 0), "
                       "COALESCE(SUM(CASE WHEN x.units < 0 AND x.reverses_seq IS NOT NULL "
                       "THEN -x.units END), 0), "
                       "COUNT(DISTINCT CASE WHEN x.units < 0 AND x.reverses_seq IS NOT NULL "
                       "THEN x.op_id END)",
                       "entries x WHERE x.kind = 'stored_value' AND x.at >= ?1 AND "
                       "x.at < ?2 GROUP BY x.ref",
                       per_cashier).c_str(),
                   from_ms, to_ms, [&](const ledger::Statement& row) {
                     TillFigures& f = figures(row);
                     const std::string ref = row.Text(1);
                     if (ref == ledger::kGiftCardRef) {
                       f.gift_card_loaded_minor += row.Int(2);
                       f.gift_card_spent_minor += row.Int(3);
                       f.gift_card_voided_minor += row.Int(4);
                     } else if (ref == ledger::kWalletRef) {
                       f.wallet_loaded_minor += row.Int(2);
                       f.wallet_spent_minor += row.Int(3);
                       f.wallet_voided_minor += row.Int(4);
                     }
                     f.load_voids += row.Int(5);
                   });
    if (!s.ok()) return s;
  }

  // Liability at `to`: each account's balance then, when positive.
  auto owed = db.Prepare(
      "SELECT COALESCE(SUM(CASE WHEN b > 0 THEN b ELSE 0 END), 0) FROM "
      "(SELECT SUM(points) AS b FROM entries WHERE at < ?1 GROUP BY account_id)");
  if (!owed.ok()) return owed.status();
  owed->Bind(1, to_ms);
  auto owed_row = owed->Step();
  if (!owed_row.ok()) return owed_row.status();
  report.outstanding_points = *owed_row ? owed->Int(0) : 0;
  auto money = internal::MulDiv(report.outstanding_points, point_value.minor,
                                point_value.points, internal::Rounding::kDown);
  if (!money) {
    return Status(StatusCode::kAmountOverflow,
                  "point_value: " + std::to_string(report.outstanding_points) +
                      " points at " + std::to_string(point_value.minor) + " per " +
                      std::to_string(point_value.points) + " leave the int64 range");
  }
  report.outstanding_minor = *money;

  // Entries the central server has not acknowledged (all of them on a till
  // that never synced: its sync tables do not exist yet).
  auto unsynced = db.Prepare(
      "SELECT (SELECT COALESCE(MAX(seq), 0) FROM entries) - "
      "COALESCE((SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'acked_seq'), 0)");
  if (unsynced.ok()) {
    auto row = unsynced->Step();
    if (!row.ok()) return row.status();
    report.unsynced_entries = unsynced->Int(0);
  } else {
    auto all = db.Prepare("SELECT COALESCE(MAX(seq), 0) FROM entries");
    if (!all.ok()) return all.status();
    auto row = all->Step();
    if (!row.ok()) return row.status();
    report.unsynced_entries = all->Int(0);
  }
  report.sync_built = true;

  Finish(report.total);
  for (auto& [id, figures] : cashiers) {
    Finish(figures);
    report.cashiers.push_back(std::move(figures));
  }
  return report;
}

namespace {

std::string FormatMinor(std::int64_t minor, const std::string& currency) {
  auto parsed = Currency::FromCode(currency);
  if (!parsed.ok()) return std::to_string(minor);
  std::string text = Money(minor, *parsed).ToString();
  const auto space = text.rfind(' ');
  return space == std::string::npos ? text : text.substr(0, space);
}

std::string FormatBp(std::int64_t bp) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%02lld%%", static_cast<long long>(bp / 100),
                static_cast<long long>(bp % 100));
  return buffer;
}

std::string FormatUtc(Timestamp t) {
  using namespace std::chrono;
  // Open-ended windows (0, INT64_MAX) are shown as they were given.
  constexpr std::int64_t kYear10000Ms = 253'402'300'800'000;
  const std::int64_t ms = t.time_since_epoch().count();
  if (ms < 0 || ms >= kYear10000Ms) return std::to_string(ms) + " ms";
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02lld:%02lld UTC",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()));
  return buffer;
}

// Ids come from the POS and may not be UTF-8: invalid bytes become U+FFFD,
// so the JSON is always valid and rendering never throws.
std::string Utf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80                ? 1
                          : c >= 0xC2 && c <= 0xDF ? 2
                          : c >= 0xE0 && c <= 0xEF ? 3
                          : c >= 0xF0 && c <= 0xF4 ? 4
                                                   : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      // The second byte's range rules out overlong forms, surrogates and
      // code points past U+10FFFF.
      unsigned char low = 0x80;
      unsigned char high = 0xBF;
      if (k == 1 && c == 0xE0) low = 0xA0;
      if (k == 1 && c == 0xED) high = 0x9F;
      if (k == 1 && c == 0xF0) low = 0x90;
      if (k == 1 && c == 0xF4) high = 0x8F;
      valid = next >= low && next <= high;
    }
    if (valid) {
      out.append(text, i, length);
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

nlohmann::json FiguresJson(const TillFigures& f) {
  return {
      {"cashier_id", Utf8(f.cashier_id)},
      {"points_issued", f.points_issued},
      {"points_redeemed", f.points_redeemed},
      {"points_expired", f.points_expired},
      {"points_reversed_earned", f.points_reversed_earned},
      {"points_reversed_redeemed", f.points_reversed_redeemed},
      {"points_adjusted", f.points_adjusted},
      {"rewards_given", f.rewards_given},
      {"member_sales", f.member_sales},
      {"member_sales_minor", f.member_sales_minor},
      {"anonymous_sales", f.anonymous_sales},
      {"anonymous_sales_minor", f.anonymous_sales_minor},
      {"card_share_bp", f.card_share_bp},
      {"average_member_basket_minor", f.average_member_basket_minor},
      {"average_anonymous_basket_minor", f.average_anonymous_basket_minor},
      {"new_members", f.new_members},
      {"redemptions", f.redemptions},
      {"active_members", f.active_members},
      {"activation_rate_bp", f.activation_rate_bp},
      {"coupons_used", f.coupons_used},
      {"gift_card_loaded_minor", f.gift_card_loaded_minor},
      {"gift_card_spent_minor", f.gift_card_spent_minor},
      {"wallet_loaded_minor", f.wallet_loaded_minor},
      {"wallet_spent_minor", f.wallet_spent_minor},
      {"load_voids", f.load_voids},
      {"gift_card_voided_minor", f.gift_card_voided_minor},
      {"wallet_voided_minor", f.wallet_voided_minor},
  };
}

}  // namespace

std::string TillReportJson(const TillReportData& r) {
  nlohmann::json cashiers = nlohmann::json::array();
  for (const TillFigures& f : r.cashiers) cashiers.push_back(FiguresJson(f));
  const nlohmann::json doc = {
      {"terminal_id", Utf8(r.terminal_id)},
      {"store_id", Utf8(r.store_id)},
      {"from_ms", r.from.time_since_epoch().count()},
      {"to_ms", r.to.time_since_epoch().count()},
      {"currency", Utf8(r.currency)},
      {"outstanding_points", r.outstanding_points},
      {"outstanding_minor", r.outstanding_minor},
      {"point_value", {{"minor", r.point_value.minor}, {"points", r.point_value.points}}},
      {"sync_built", r.sync_built},
      {"unsynced_entries", r.unsynced_entries},
      {"total", FiguresJson(r.total)},
      {"cashiers", cashiers},
  };
  return doc.dump(2);
}

std::string TillReportText(const TillReportData& r) {
  std::vector<const TillFigures*> columns{&r.total};
  for (const TillFigures& f : r.cashiers) columns.push_back(&f);
  std::ostringstream out;
  out << "Loyalty report, till " << r.terminal_id;
  if (!r.store_id.empty()) out << " (store " << r.store_id << ")";
  out << "\nfrom " << FormatUtc(r.from) << " to " << FormatUtc(r.to) << ", "
      << r.currency << "\n\n";
  auto cell = [](const std::string& text, size_t width) {
    return text.size() >= width ? text + " " : std::string(width - text.size(), ' ') + text;
  };
  constexpr size_t kLabel = 28;
  constexpr size_t kColumn = 12;
  out << std::string(kLabel, ' ');
  for (const TillFigures* f : columns) {
    const std::string head =
        f == &r.total ? "till" : (f->cashier_id.empty() ? "(none)" : f->cashier_id);
    out << cell(head, kColumn);
  }
  out << "\n";
  auto row = [&](const std::string& label, auto value) {
    out << label << std::string(label.size() < kLabel ? kLabel - label.size() : 1, ' ');
    for (const TillFigures* f : columns) out << cell(value(*f), kColumn);
    out << "\n";
  };
  auto num = [](std::int64_t v) { return std::to_string(v); };
  row("points issued", [&](const TillFigures& f) { return num(f.points_issued); });
  row("points redeemed", [&](const TillFigures& f) { return num(f.points_redeemed); });
  row("points expired", [&](const TillFigures& f) { return num(f.points_expired); });
  row("points reversed (earned)",
      [&](const TillFigures& f) { return num(f.points_reversed_earned); });
  row("points reversed (redeemed)",
      [&](const TillFigures& f) { return num(f.points_reversed_redeemed); });
  row("points adjusted", [&](const TillFigures& f) { return num(f.points_adjusted); });
  row("rewards given", [&](const TillFigures& f) { return num(f.rewards_given); });
  row("sales with a card", [&](const TillFigures& f) { return num(f.member_sales); });
  row("sales without a card", [&](const TillFigures& f) { return num(f.anonymous_sales); });
  row("card share", [&](const TillFigures& f) { return FormatBp(f.card_share_bp); });
  row("average basket, members", [&](const TillFigures& f) {
    return FormatMinor(f.average_member_basket_minor, r.currency);
  });
  row("average basket, others", [&](const TillFigures& f) {
    return FormatMinor(f.average_anonymous_basket_minor, r.currency);
  });
  row("new members", [&](const TillFigures& f) { return num(f.new_members); });
  row("redemptions", [&](const TillFigures& f) { return num(f.redemptions); });
  row("active members", [&](const TillFigures& f) { return num(f.active_members); });
  row("reward activation rate",
      [&](const TillFigures& f) { return FormatBp(f.activation_rate_bp); });
  row("coupons used", [&](const TillFigures& f) { return num(f.coupons_used); });
  row("gift cards loaded", [&](const TillFigures& f) {
    return FormatMinor(f.gift_card_loaded_minor, r.currency);
  });
  row("gift cards spent", [&](const TillFigures& f) {
    return FormatMinor(f.gift_card_spent_minor, r.currency);
  });
  row("wallets topped up", [&](const TillFigures& f) {
    return FormatMinor(f.wallet_loaded_minor, r.currency);
  });
  row("wallets spent", [&](const TillFigures& f) {
    return FormatMinor(f.wallet_spent_minor, r.currency);
  });
  row("loads voided", [&](const TillFigures& f) { return num(f.load_voids); });
  row("gift card loads voided", [&](const TillFigures& f) {
    return FormatMinor(f.gift_card_voided_minor, r.currency);
  });
  row("wallet top-ups voided", [&](const TillFigures& f) {
    return FormatMinor(f.wallet_voided_minor, r.currency);
  });
  out << "\noutstanding liability: " << r.outstanding_points << " points";
  if (r.point_value.minor > 0) {
    out << " = " << FormatMinor(r.outstanding_minor, r.currency) << " " << r.currency;
  }
  out << "\nentries not yet synced: "
      << (r.sync_built ? std::to_string(r.unsynced_entries) : std::string("sync not built"))
      << "\n";
  return out.str();
}

}  // namespace loyalty
