#include "loyalty/terminal.hpp"

#include <algorithm>
#include <chrono>
#include <charconv>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "common/checked.hpp"
#include "engine/card_rules.hpp"
#include "engine/earn.hpp"
#include "engine/program_parser.hpp"
#include "ledger/apply.hpp"
#include "ledger/chain.hpp"
#include "ledger/ledger.hpp"
#include "ledger/mac.hpp"
#include "terminal/file_lock.hpp"
#include "terminal/random_ids.hpp"
#include "terminal/receipt_json.hpp"
#include "sync/sync_schema.hpp"
#include "terminal/terminal_impl.hpp"

namespace loyalty {

using ledger::Book;
using ledger::EntryRecord;
using ledger::LotMove;

namespace {


}  // namespace

Result<std::unique_ptr<Terminal>> Terminal::Open(Options options) {
  if (options.database_path.empty()) {
    return Status(StatusCode::kInvalidArgument, "database_path: is required");
  }
  if (options.terminal_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "terminal_id: is required");
  }
  if (options.terminal_key.size() < 32) {
    return Status(StatusCode::kInvalidArgument,
                  "terminal_key: must be at least 32 bytes, got " +
                      std::to_string(options.terminal_key.size()));
  }
  if (options.program_path.empty()) {
    return Status(StatusCode::kInvalidArgument, "program_path: is required");
  }
  std::optional<sync::Ed25519Verifier> program_key;
  if (!options.program_public_key_pem.empty()) {
    auto key = sync::Ed25519Verifier::FromPem(options.program_public_key_pem,
                                              "program_public_key_pem");
    if (!key.ok()) return key.status();
    program_key = std::move(*key);
  }
  auto program = terminal::ReadProgram(options.program_path, program_key);
  if (!program.ok()) return program.status();
  auto lock = terminal::FileLock::Acquire(options.database_path);
  if (!lock.ok()) return lock.status();
  ledger::LedgerOptions ledger_options;
  ledger_options.database.path = options.database_path;
  ledger_options.database.synchronous_full = options.synchronous_full;
  ledger_options.database.busy_timeout_ms = options.busy_timeout_ms;
  ledger_options.terminal_key = options.terminal_key;
  auto ledger = ledger::Ledger::Open(ledger_options);
  if (!ledger.ok()) return ledger.status();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(*lock),
                                     std::move(*ledger), std::move(program->program));
  impl->zone = program->zone;
  impl->program_key = std::move(program_key);
  // A ledger that has synced keeps the server's hotlist, balances, limits
  // and newest program, with or without a live Sync.
  auto synced = sync::HasSyncSchema(impl->ledger->database());
  if (!synced.ok()) return synced.status();
  if (*synced) {
    if (Status s = impl->AttachLocalSync(); !s.ok()) return s;
    auto newest = impl->local_sync->snapshots->NewestProgram("loaded");
    if (!newest.ok()) return newest.status();
    if (*newest && (*newest)->version > impl->program.version) {
      auto accepted = impl->ReadAcceptedProgram(**newest);
      Status installed = accepted.ok() ? impl->InstallProgram(std::move(*accepted))
                                       : accepted.status();
      if (!installed.ok()) {
        impl->Log(installed.code() == StatusCode::kTampered ? LogLevel::kError
                                                            : LogLevel::kWarning,
                  "program version " + std::to_string((*newest)->version) +
                      " from the server cannot be loaded again (" + installed.message() +
                      "); " + impl->options.program_path + " stays in force");
      }
    }
  }
  return std::unique_ptr<Terminal>(new Terminal(std::move(impl)));
}

Terminal::Terminal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Terminal::~Terminal() = default;

Status Terminal::LoadProgram(const std::string& path) {
  auto program = terminal::ReadProgram(path, impl_->program_key);
  if (!program.ok()) {
    impl_->Log(LogLevel::kWarning, "program refused, previous stays: " +
                                       program.status().message());
    return program.status();
  }
  std::lock_guard<std::mutex> guard(impl_->mutex);
  return impl_->InstallProgram(std::move(*program));
}

ProgramInfo Terminal::program() const {
  std::lock_guard<std::mutex> guard(impl_->mutex);
  const auto& p = impl_->program;
  return {p.id, p.version, p.name, std::string(p.currency.code()), p.time_zone};
}

Result<Receipt> Terminal::Enroll(const Enrollment& request) {
  Impl& im = *impl_;
  if (Status s = engine::CheckCardNumber(im.program.cards, request.card); !s.ok()) {
    return s;
  }
  // "MM-DD", or the month and day of "YYYY-MM-DD".
  std::string birthday = request.birthday;
  if (birthday.size() == 10) birthday = birthday.substr(5);
  if (!birthday.empty()) {
    unsigned month = 0;
    unsigned day = 0;
    // from_chars, unlike sscanf's %u, takes no sign or space and says when
    // it read nothing.
    auto two_digits = [&birthday](std::size_t at, unsigned& out) {
      const char* first = birthday.data() + at;
      auto [end, error] = std::from_chars(first, first + 2, out);
      return error == std::errc() && end == first + 2;
    };
    if (birthday.size() != 5 || birthday[2] != '-' || !two_digits(0, month) ||
        !two_digits(3, day) ||
        !std::chrono::month_day{std::chrono::month{month}, std::chrono::day{day}}.ok()) {
      return Status(StatusCode::kInvalidArgument,
                    "birthday: '" + request.birthday + "' is not MM-DD or YYYY-MM-DD");
    }
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(request.account_id)
                                 .Add(request.name)
                                 .Add(birthday)
                                 .Add(request.referrer.value())
                                 .Finish();
  return im.Operation(request.op_id, "enroll", digest, [&]() -> Result<Receipt> {
    std::string referred_by;
    if (!request.referrer.empty()) {
      auto referrer = im.FindCard(request.referrer, /*refuse_blocked=*/true);
      if (!referrer.ok()) {
        return Status(referrer.status().code(), "referrer: " + referrer.status().message());
      }
      referred_by = referrer->account_id;
    }
    const std::string hash = im.CardHash(request.card);
    auto existing = im.ledger->FindCard(hash);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      return Status(StatusCode::kCardAlreadyEnrolled,
                    "card " + request.card.Masked() + ": already on account " +
                        (*existing)->account_id);
    }
    const std::int64_t now = im.NowMs();
    std::string account_id = request.account_id;
    if (account_id.empty()) {
      account_id = im.ids->NewId();
      if (account_id.empty()) {
        return Status(StatusCode::kInternal, "could not draw a new account id");
      }
      ledger::AccountRow row{account_id, request.name, now, 0, 0, birthday, referred_by};
      if (Status s = im.ledger->InsertAccount(row); !s.ok()) return s;
    } else {
      auto account = im.ledger->FindAccount(account_id);
      if (!account.ok()) return account.status();
      if (!*account) {
        return Status(StatusCode::kNotFound,
                      "account_id: '" + account_id + "' is not an account here");
      }
    }
    if (Status s = im.ledger->InsertCard(hash, account_id, request.card.Masked(), now);
        !s.ok()) {
      return s;
    }
    auto book = im.ledger->LoadBook(account_id);
    if (!book.ok()) return book.status();
    EntryRecord e = im.NewEntry(request.op_id, EntryKind::kEnroll, account_id, now);
    e.note = "card " + request.card.Masked();
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    Receipt r;
    r.entry_seqs.push_back(e.seq);
    if (request.account_id.empty() && im.program.signup_bonus > 0) {
      EntryRecord bonus = im.NewEntry(request.op_id, EntryKind::kEarn, account_id, now);
      bonus.points = im.program.signup_bonus;
      im.SetCreditDates(bonus);
      bonus.pending_until = now;  // nothing to return: spendable at once
      bonus.note = "sign-up bonus";
      if (Status s = im.Post(*book, bonus); !s.ok()) return s;
      if (Status s = im.ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
      r.earned = bonus.points;
      r.entry_seqs.push_back(bonus.seq);
      r.explanations.push_back({"signup", bonus.points,
                                "sign-up bonus: " + std::to_string(bonus.points) + " points"});
    }
    auto view = im.View(account_id, *book, request.card.Masked(), false, now);
    if (!view.ok()) return view.status();
    r.account_id = account_id;
    r.card_masked = request.card.Masked();
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

Result<CardView> Terminal::Lookup(const CardId& card) const {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto row = im.FindCard(card, /*refuse_blocked=*/false);
  if (!row.ok()) return row.status();
  auto book = im.ledger->LoadBook(row->account_id);
  if (!book.ok()) return book.status();
  return im.View(row->account_id, *book, row->masked, row->blocked, im.NowMs());
}

Result<PointsBalance> Terminal::Balance(const CardId& card) const {
  Impl& im = *impl_;
  if (card.empty()) return Status(StatusCode::kInvalidArgument, "card: is empty");
  std::lock_guard<std::mutex> guard(im.mutex);
  const std::int64_t now = im.NowMs();
  // One read: the screen refreshes this often.
  auto points = im.ledger->PointsOfCard(im.CardHash(card), now);
  if (!points.ok()) return points.status();
  if (!*points) {
    auto unknown = im.FindCard(card, /*refuse_blocked=*/false);
    return unknown.ok() ? Status(StatusCode::kInternal, "card vanished") : unknown.status();
  }
  const ledger::Ledger::CardPoints& p = **points;
  PointsBalance b;
  b.account_id = p.account_id;
  // As Book::Available: usable lots less debt; expired holds come back.
  b.available = p.usable - p.debt + p.held_expired;
  b.pending = p.pending;
  b.balance = p.balance;
  b.held = p.held;
  b.blocked = p.blocked;
  if (im.hooks) {
    // The server's share of the balance, and the chain's hotlist.
    auto remote = im.hooks->RemotePoints(p.account_id);
    if (!remote.ok()) return remote.status();
    b.available += *remote;
    b.balance += *remote;
    if (!b.blocked) {
      auto listed = im.hooks->CardHotlisted(im.CardHash(card));
      if (!listed.ok()) return listed.status();
      b.blocked = *listed;
    }
  }
  return b;
}

Result<CardView> Terminal::Identify(const CardRead& read) const {
  if (!read.status.ok()) return read.status;
  auto view = Lookup(read.card);
  if (view.ok() || view.status().code() != StatusCode::kUnknownCard) return view;
  // A bank card or another scheme's card at the loyalty reader: tell the
  // cashier what it is rather than "unknown".
  Status format = Status::Ok();
  {
    std::lock_guard<std::mutex> guard(impl_->mutex);
    format = engine::CheckCardNumber(impl_->program.cards, read.card);
  }
  if (!format.ok()) return format;
  return view;
}

Result<Quote> Terminal::QuoteBasket(const CardId& card, const Basket& basket,
                                    const std::vector<std::string>& rewards,
                                    const std::vector<std::string>& coupons) const {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto row = im.FindCard(card, /*refuse_blocked=*/true);
  if (!row.ok()) return row.status();
  auto book = im.ledger->LoadBook(row->account_id);
  if (!book.ok()) return book.status();
  const std::int64_t now = im.NowMs();
  auto context = im.ContextFor(row->account_id, *book, now);
  if (!context.ok()) return context.status();
  auto resolved = im.ResolveCoupons(coupons, row->account_id, now);
  if (!resolved.ok()) return resolved.status();
  std::vector<std::string> coupon_ids;
  for (const auto& [code, id] : *resolved) coupon_ids.push_back(id);
  return engine::Evaluate(im.program, basket, *context, rewards, 0, coupon_ids);
}

Result<Receipt> Terminal::Commit(const Checkout& checkout) {
  Impl& im = *impl_;
  if (checkout.redeem_points < 0) {
    return Status(StatusCode::kAmountNegative,
                  "redeem_points: " + std::to_string(checkout.redeem_points) +
                      " is negative");
  }
  for (size_t i = 0; i < checkout.rewards.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (checkout.rewards[k] == checkout.rewards[i]) {
        return Status(StatusCode::kInvalidArgument,
                      "rewards[" + std::to_string(i) + "]: '" + checkout.rewards[i] +
                          "' is listed twice");
      }
    }
  }
  return im.Operation(checkout.op_id, "sale", im.CheckoutDigest(checkout), [&]() -> Result<Receipt> {
    auto card = im.FindCard(checkout.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    if (Status s = im.ReleaseExpiredHolds(card->account_id, *book, now); !s.ok()) return s;
    auto quote = im.QuoteForSale(checkout, card->account_id, *book, now);
    if (!quote.ok()) return quote.status();
    Receipt r;
    if (Status s = im.SpendSide(checkout, card->account_id, *book, *quote, now, r); !s.ok()) {
      return s;
    }
    if (Status s = im.EarnSide(checkout.op_id, checkout.basket, card->account_id, *book,
                               *quote, now, r);
        !s.ok()) {
      return s;
    }
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.after = std::move(*view);
    return r;
  }, checkout.cashier_id);
}

Result<Receipt> Terminal::RecordEvent(const CustomerEvent& event) {
  Impl& im = *impl_;
  const std::string digest =
      terminal::RequestDigest().Add(event.card.value()).Add(event.event).Finish();
  return im.Operation(event.op_id, "event", digest, [&]() -> Result<Receipt> {
    Points bonus = 0;
    for (const auto& [name, points] : im.program.event_bonuses) {
      if (name == event.event) bonus = points;
    }
    if (bonus == 0) {
      return Status(StatusCode::kInvalidArgument,
                    "event: program '" + im.program.id + "' has no bonus for '" +
                        event.event + "'");
    }
    auto card = im.FindCard(event.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    EntryRecord e = im.NewEntry(event.op_id, EntryKind::kEarn, card->account_id, now);
    e.points = bonus;
    im.SetCreditDates(e);
    e.pending_until = now;
    e.note = event.event + " bonus";
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.earned = bonus;
    r.entry_seqs.push_back(e.seq);
    r.explanations.push_back({event.event, bonus, e.note + ": " + std::to_string(bonus) +
                                                      " points"});
    r.after = std::move(*view);
    return r;
  }, event.cashier_id);
}

Result<Receipt> Terminal::Redeem(const Redemption& request) {
  Impl& im = *impl_;
  if (request.points <= 0) {
    return Status(request.points < 0 ? StatusCode::kAmountNegative
                                     : StatusCode::kInvalidArgument,
                  "points: " + std::to_string(request.points) + " must be > 0");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(request.points)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "redeem", digest, [&]() -> Result<Receipt> {
    auto card = im.FindCard(request.card, /*refuse_blocked=*/true);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    if (Status s = im.ReleaseExpiredHolds(card->account_id, *book, now); !s.ok()) return s;
    EntryRecord e = im.NewEntry(request.op_id, EntryKind::kRedeem, card->account_id, now);
    e.points = -request.points;
    e.note = request.reason;
    if (Status s = im.Post(*book, e); !s.ok()) {
      if (s.code() == StatusCode::kInsufficientPoints) {
        return Status(s.code(), "card " + request.card.Masked() + ": " + s.message());
      }
      return s;
    }
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, false, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.redeemed = request.points;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

Result<Receipt> Terminal::Impl::Reverse(const std::string& op_id,
                                        const std::string& target_op_id,
                                        std::optional<std::int64_t> amount,
                                        const std::vector<ReturnLine>& lines,
                                        bool is_void, const std::string& note) {
  auto entries = ledger->EntriesOfOperation(target_op_id);
  if (!entries.ok()) return entries.status();
  const EntryRecord* earn = nullptr;
  const EntryRecord* debit = nullptr;   // a redeem or a downward adjustment
  const EntryRecord* credit = nullptr;  // an upward adjustment
  for (const EntryRecord& e : *entries) {
    if (e.kind == EntryKind::kEarn && !e.ref) earn = &e;
    if (e.kind == EntryKind::kRedeem) debit = &e;
    if (e.kind == EntryKind::kAdjust) (e.points < 0 ? debit : credit) = &e;
  }
  const char* what = is_void ? "void" : "refund";
  if (entries->empty()) {
    return Status(StatusCode::kNotFound,
                  std::string(is_void ? "target_op_id" : "sale_op_id") + ": no operation '" +
                      target_op_id + "' in this ledger");
  }
  if (!is_void && earn == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "sale_op_id: '" + target_op_id + "' is not a sale");
  }
  if (earn == nullptr && debit == nullptr && credit == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "target_op_id: '" + target_op_id + "' is a " +
                      EntryKindName(entries->front().kind) + ", which cannot be voided");
  }
  // The customer of the operation: its earn's or redemption's account. The
  // first entry may be the gift card the sale was paid with.
  const EntryRecord* anchor = earn != nullptr     ? earn
                              : debit != nullptr  ? debit
                              : credit != nullptr ? credit
                                                  : &entries->front();
  const std::string account_id = anchor->account_id;
  const std::int64_t now = NowMs();

  // How much of the target is reversed already, per entry.
  auto reversed_of = [&](const EntryRecord* e, std::int64_t& amount_done,
                         Points& points_done) -> Status {
    amount_done = 0;
    points_done = 0;
    if (e == nullptr) return Status::Ok();
    auto reversals = ledger->ReversalsOf(e->seq);
    if (!reversals.ok()) return reversals.status();
    for (const EntryRecord& r : *reversals) {
      amount_done += r.amount_minor;
      points_done += r.points;
    }
    return Status::Ok();
  };

  Points take_back = 0;   // credited points to reverse now (positive)
  bool sale_settled = false;  // nothing of the sale is left after this
  std::vector<ledger::SaleLine> sold_lines;  // after this return, for stamps
  std::int64_t sale_total = 0;
  std::int64_t sale_done_after = 0;
  Points give_back = 0;   // debited points to return now (positive)
  std::int64_t refund_amount = 0;
  const EntryRecord* credited = earn ? earn : credit;
  if (earn != nullptr) {
    std::int64_t amount_done = 0;
    Points earn_done = 0;
    if (Status s = reversed_of(earn, amount_done, earn_done); !s.ok()) return s;
    const std::int64_t total = earn->amount_minor;
    const std::int64_t left = total - amount_done;
    const bool nothing_left = total > 0 ? left <= 0 : earn_done != 0 || amount_done != 0;
    std::int64_t debit_amount_done = 0;
    Points debit_done = 0;
    if (Status s = reversed_of(debit, debit_amount_done, debit_done); !s.ok()) return s;
    if (nothing_left || (total == 0 && debit_amount_done != 0)) {
      return Status(StatusCode::kAlreadyReversed,
                    "sale '" + target_op_id + "' was already fully refunded or voided");
    }
    Points line_take_back = 0;
    if (!lines.empty()) {
      if (amount) {
        return Status(StatusCode::kInvalidArgument,
                      "amount_minor: give either an amount or the lines returned, not both");
      }
      auto sold = ledger->SaleLines(target_op_id);
      if (!sold.ok()) return sold.status();
      refund_amount = 0;
      for (size_t i = 0; i < lines.size(); ++i) {
        const ReturnLine& back = lines[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        if (back.line_no < 0 || back.line_no >= static_cast<std::int64_t>(sold->size())) {
          return Status(StatusCode::kInvalidArgument,
                        where + ".line_no: sale '" + target_op_id + "' has no line " +
                            std::to_string(back.line_no));
        }
        ledger::SaleLine& line = (*sold)[static_cast<size_t>(back.line_no)];
        const std::int64_t left_units = line.quantity - line.returned_qty;
        if (back.quantity <= 0 || back.quantity > left_units) {
          return Status(StatusCode::kInvalidArgument,
                        where + ".quantity: " + std::to_string(back.quantity) + " but " +
                            std::to_string(left_units) + " of line " +
                            std::to_string(back.line_no) + " (sku " + line.sku +
                            ") can still be returned");
        }
        // Cumulative per line: the last unit back settles the line exactly.
        const std::int64_t paid = line.amount_minor - line.discount_minor;
        const std::int64_t after = line.returned_qty + back.quantity;
        auto points_after = internal::MulDiv(line.points, after, line.quantity,
                                             internal::Rounding::kUp);
        auto points_before = internal::MulDiv(line.points, line.returned_qty, line.quantity,
                                              internal::Rounding::kUp);
        auto paid_after = internal::MulDiv(paid, after, line.quantity,
                                           internal::Rounding::kDown);
        auto paid_before = internal::MulDiv(paid, line.returned_qty, line.quantity,
                                            internal::Rounding::kDown);
        if (!points_after || !points_before || !paid_after || !paid_before) {
          return Status(StatusCode::kAmountOverflow, where + ": refund share overflows");
        }
        line_take_back += *points_after - *points_before;
        refund_amount += *paid_after - *paid_before;
        line.returned_qty = after;
        if (Status s = ledger->SetReturnedQuantity(target_op_id, line.line_no, after);
            !s.ok()) {
          return s;
        }
      }
      sold_lines = std::move(*sold);
    } else {
      refund_amount = amount.value_or(left);
    }
    if (refund_amount <= 0 && total > 0 && lines.empty()) {
      return Status(refund_amount < 0 ? StatusCode::kAmountNegative
                                      : StatusCode::kInvalidArgument,
                    "amount_minor: " + std::to_string(refund_amount) + " must be > 0");
    }
    if (refund_amount > left) {
      return Status(StatusCode::kInvalidArgument,
                    "amount_minor: " + std::to_string(refund_amount) + " exceeds the " +
                        std::to_string(left) + " left to refund on sale '" +
                        target_op_id + "'");
    }
    const std::int64_t done_after = amount_done + refund_amount;
    sale_total = total;
    sale_done_after = done_after;
    sale_settled = done_after >= total;
    // Earned points are taken back rounding up and redeemed points given
    // back rounding down, cumulatively: partial returns never profit the
    // card, and the last return settles the sale exactly.
    auto share = [&](Points of, internal::Rounding rounding) -> std::optional<Points> {
      if (total == 0) return of;
      return internal::MulDiv(of, done_after, total, rounding);
    };
    auto earn_target = share(earn->points, internal::Rounding::kUp);
    const Points spent = debit ? -debit->points : 0;
    auto give_target = share(spent, internal::Rounding::kDown);
    if (!earn_target || !give_target) {
      return Status(StatusCode::kAmountOverflow, "refund share overflows");
    }
    take_back = lines.empty() ? *earn_target + earn_done  // earn_done is negative
                              : std::min(line_take_back, earn->points + earn_done);
    give_back = *give_target - debit_done;     // debit_done is positive
    if (done_after >= total) {
      take_back = earn->points + earn_done;  // nothing of the sale stays earned
      if (Status s = ledger->ReverseRewardUses(target_op_id); !s.ok()) return s;
      if (Status s = ledger->ReverseCouponUses(target_op_id); !s.ok()) return s;
      if (Status s = ledger->RevokeCouponsIssuedBy(target_op_id); !s.ok()) return s;
    }
  } else {
    std::int64_t unused = 0;
    Points done = 0;
    if (credit != nullptr) {
      if (Status s = reversed_of(credit, unused, done); !s.ok()) return s;
      take_back = credit->points + done;
    } else {
      if (Status s = reversed_of(debit, unused, done); !s.ok()) return s;
      give_back = -debit->points - done;
    }
    if (take_back == 0 && give_back == 0) {
      return Status(StatusCode::kAlreadyReversed,
                    "operation '" + target_op_id + "' was already voided");
    }
  }

  std::vector<std::int64_t> also;
  if (credited) also.push_back(credited->seq);
  std::vector<LotMove> outstanding;
  if (debit) {
    auto owed = ledger->Outstanding(debit->seq);
    if (!owed.ok()) return owed.status();
    outstanding = std::move(*owed);
    for (const LotMove& m : outstanding) also.push_back(m.lot_id);
  }
  auto book = ledger->LoadBook(account_id, also);
  if (!book.ok()) return book.status();
  Receipt r;
  if (credited != nullptr && (take_back != 0 || earn != nullptr)) {
    EntryRecord e = NewEntry(op_id, EntryKind::kEarnReversal, account_id, now);
    e.points = -take_back;
    e.amount_minor = refund_amount;
    e.reverses_seq = credited->seq;
    e.note = std::string(what) + (note.empty() ? "" : ": " + note);
    if (Status s = Post(*book, e); !s.ok()) return s;
    r.earned = -take_back;
    r.entry_seqs.push_back(e.seq);
  }
  if (debit != nullptr && give_back > 0) {
    EntryRecord e = NewEntry(op_id, EntryKind::kRedeemReversal, account_id, now);
    e.points = give_back;
    e.amount_minor = refund_amount;
    e.reverses_seq = debit->seq;
    e.note = std::string(what) + (note.empty() ? "" : ": " + note);
    if (Status s = Post(*book, e, outstanding); !s.ok()) return s;
    r.redeemed = -give_back;
    r.entry_seqs.push_back(e.seq);
  }
  // Bonuses the sale triggered (birthday, referral, on whichever account)
  // go back with the whole sale, so buying to return is no way to earn them.
  for (const EntryRecord& bonus : *entries) {
    if (!sale_settled || bonus.kind != EntryKind::kEarn || !bonus.ref) continue;
    auto reversals = ledger->ReversalsOf(bonus.seq);
    if (!reversals.ok()) return reversals.status();
    Points left = bonus.points;
    for (const EntryRecord& rev : *reversals) left += rev.points;
    if (left <= 0) continue;
    // A spent bonus lot is simply absent: TakeBack then takes from others.
    const bool own = bonus.account_id == account_id;
    Result<ledger::Book> other = own ? ledger::Book(0, 0) : ledger->LoadBook(bonus.account_id);
    if (!other.ok()) return other.status();
    ledger::Book& target = own ? *book : *other;
    EntryRecord e = NewEntry(op_id, EntryKind::kEarnReversal, bonus.account_id, now);
    e.points = -left;
    e.reverses_seq = bonus.seq;
    e.note = std::string(what) + ": " + bonus.note;
    if (Status s = Post(target, e); !s.ok()) return s;
    if (!own) {
      if (Status s = ledger->SaveBook(bonus.account_id, target, now); !s.ok()) return s;
    }
    if (own) r.earned -= left;
    r.entry_seqs.push_back(e.seq);
  }
  // Money paid from gift cards and the wallet goes back like redeemed
  // points: in proportion, rounding down, and in full with the last return.
  for (const EntryRecord& paid : *entries) {
    if (earn == nullptr || paid.kind != EntryKind::kStoredValue || !paid.units ||
        *paid.units >= 0 || !paid.ref) {
      continue;
    }
    auto reversals = ledger->ReversalsOf(paid.seq);
    if (!reversals.ok()) return reversals.status();
    std::int64_t returned = 0;
    for (const EntryRecord& rev : *reversals) returned += rev.units.value_or(0);
    const std::int64_t spent = -*paid.units;
    std::optional<std::int64_t> target = spent;
    if (!sale_settled) {
      target = sale_total > 0 ? internal::MulDiv(spent, sale_done_after, sale_total,
                                                 internal::Rounding::kDown)
                              : std::optional<std::int64_t>(0);
    }
    if (!target) return Status(StatusCode::kAmountOverflow, "stored value share overflows");
    if (*target - returned <= 0) continue;
    if (Status s = MoveStoredValue(op_id, paid.account_id, *paid.ref, *target - returned,
                                   paid.seq, std::string(what) + " of " + target_op_id, now, r);
        !s.ok()) {
      return s;
    }
  }
  // Stamps follow the points: collected ones go back in proportion (by the
  // units returned of the card's lines, or by amount), spent ones only when
  // the whole sale comes back.
  for (const EntryRecord& stamp : *entries) {
    if (earn == nullptr || stamp.kind != EntryKind::kStamp || !stamp.units || !stamp.ref) {
      continue;
    }
    auto reversals = ledger->ReversalsOf(stamp.seq);
    if (!reversals.ok()) return reversals.status();
    std::int64_t undone = 0;
    for (const EntryRecord& rev : *reversals) undone += rev.units.value_or(0);
    undone = undone < 0 ? -undone : undone;
    const std::int64_t units = *stamp.units;
    const std::int64_t magnitude = units < 0 ? -units : units;
    std::optional<std::int64_t> target = 0;
    if (sale_settled) {
      target = magnitude;
    } else if (units > 0 && !sold_lines.empty()) {
      const engine::StampCard* card = program.FindStampCard(*stamp.ref);
      std::int64_t bought = 0;
      std::int64_t returned = 0;
      for (const ledger::SaleLine& line : sold_lines) {
        if (card && !card->lines.Matches(line.sku, line.category)) continue;
        bought += line.quantity;
        returned += line.returned_qty;
      }
      target = bought > 0 ? internal::MulDiv(magnitude, returned, bought,
                                             internal::Rounding::kUp)
                          : std::optional<std::int64_t>(0);
    } else if (units > 0 && sale_total > 0) {
      target = internal::MulDiv(magnitude, sale_done_after, sale_total,
                                internal::Rounding::kUp);
    }
    if (!target) return Status(StatusCode::kAmountOverflow, "stamp share overflows");
    const std::int64_t now_undo = *target - undone;
    if (now_undo <= 0) continue;
    EntryRecord e = NewEntry(op_id, EntryKind::kStamp, account_id, now);
    e.units = units > 0 ? -now_undo : now_undo;
    e.ref = stamp.ref;
    e.reverses_seq = stamp.seq;
    e.note = std::string(what) + (note.empty() ? "" : ": " + note);
    if (Status s = Post(*book, e); !s.ok()) return s;
    r.entry_seqs.push_back(e.seq);
    StampProgress moved;
    moved.card = *stamp.ref;
    (units > 0 ? moved.collected : moved.spent) = -now_undo;
    r.stamps.push_back(std::move(moved));
  }
  if (Status s = ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
  auto masked = ledger->MaskedCardOf(account_id);
  if (!masked.ok()) return masked.status();
  auto view = View(account_id, *book, *masked, false, now);
  if (!view.ok()) return view.status();
  r.account_id = account_id;
  r.card_masked = *masked;
  r.after = std::move(*view);
  return r;
}

Result<Receipt> Terminal::Refund(const RefundRequest& request) {
  Impl& im = *impl_;
  if (request.amount_minor && *request.amount_minor < 0) {
    return Status(StatusCode::kAmountNegative,
                  "amount_minor: " + std::to_string(*request.amount_minor) +
                      " is negative");
  }
  terminal::RequestDigest digest_builder;
  digest_builder.Add(request.sale_op_id).Add(request.amount_minor.value_or(-1));
  for (const ReturnLine& line : request.lines) digest_builder.Add(line.line_no).Add(line.quantity);
  const std::string digest = digest_builder.Finish();
  return im.Operation(request.op_id, "refund", digest, [&]() -> Result<Receipt> {
    return im.Reverse(request.op_id, request.sale_op_id, request.amount_minor,
                      request.lines, /*is_void=*/false, "");
  }, request.cashier_id);
}

Result<Receipt> Terminal::Void(const VoidRequest& request) {
  Impl& im = *impl_;
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "operator_id: is required for a void");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.target_op_id)
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "void", digest, [&]() -> Result<Receipt> {
    return im.Reverse(request.op_id, request.target_op_id, std::nullopt, {},
                      /*is_void=*/true, request.operator_id + ": " + request.reason);
  }, request.cashier_id);
}

Result<Receipt> Terminal::Adjust(const Adjustment& request) {
  Impl& im = *impl_;
  if (request.points == 0) {
    return Status(StatusCode::kInvalidArgument, "points: an adjustment cannot be 0");
  }
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "operator_id: is required");
  }
  if (request.reason.empty()) {
    return Status(StatusCode::kInvalidArgument, "reason: is required");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(request.points)
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, "adjust", digest, [&]() -> Result<Receipt> {
    auto card = im.FindCard(request.card, /*refuse_blocked=*/false);
    if (!card.ok()) return card.status();
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    EntryRecord e = im.NewEntry(request.op_id, EntryKind::kAdjust, card->account_id, now);
    e.points = request.points;
    if (request.points > 0) im.SetCreditDates(e);
    e.pending_until = request.points > 0 ? std::optional<std::int64_t>(now) : std::nullopt;
    e.note = request.operator_id + ": " + request.reason;
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(card->account_id, *book, now); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, card->blocked, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    (request.points > 0 ? r.earned : r.redeemed) =
        request.points > 0 ? request.points : -request.points;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

Result<Receipt> Terminal::Block(const CardBlock& request) {
  Impl& im = *impl_;
  if (request.operator_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "operator_id: is required");
  }
  const std::string digest = terminal::RequestDigest()
                                 .Add(request.card.value())
                                 .Add(static_cast<std::int64_t>(request.blocked))
                                 .Add(request.operator_id)
                                 .Add(request.reason)
                                 .Finish();
  return im.Operation(request.op_id, request.blocked ? "block" : "unblock", digest,
                      [&]() -> Result<Receipt> {
    auto card = im.FindCard(request.card, /*refuse_blocked=*/false);
    if (!card.ok()) return card.status();
    if (Status s = im.ledger->SetCardBlocked(im.CardHash(request.card), request.blocked);
        !s.ok()) {
      return s;
    }
    auto book = im.ledger->LoadBook(card->account_id);
    if (!book.ok()) return book.status();
    const std::int64_t now = im.NowMs();
    EntryRecord e = im.NewEntry(request.op_id,
                                request.blocked ? EntryKind::kBlock : EntryKind::kUnblock,
                                card->account_id, now);
    e.note = "card " + request.card.Masked() + " by " + request.operator_id + ": " +
             request.reason;
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    auto view = im.View(card->account_id, *book, card->masked, request.blocked, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.account_id = card->account_id;
    r.card_masked = card->masked;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    return r;
  }, request.cashier_id);
}

Result<std::vector<Receipt>> Terminal::ExpirePoints(const std::string& op_id) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckOpId(op_id); !s.ok()) return s;
  std::lock_guard<std::mutex> guard(im.mutex);
  ledger::Transaction tx(im.ledger->database());
  if (!tx.begun().ok()) return tx.begun();
  const std::string digest = terminal::RequestDigest().Add("expire").Finish();
  auto stored = im.ledger->FindOperation(op_id);
  if (!stored.ok()) return stored.status();
  if (*stored) {
    if ((*stored)->kind != "expire") {
      return Status(StatusCode::kDuplicateIdConflict,
                    "op_id '" + op_id + "' was already used for a " + (*stored)->kind);
    }
    auto receipts = terminal::ReceiptsFromJson((*stored)->receipt_json);
    if (!receipts.ok()) return receipts.status();
    for (auto& r : *receipts) r.replayed = true;
    return receipts;
  }
  const std::int64_t now = im.NowMs();
  auto accounts = im.ledger->AccountsWithExpiredLots(now);
  if (!accounts.ok()) return accounts.status();
  std::vector<std::string> inactive;
  if (im.program.inactivity_days > 0) {
    auto found =
        im.ledger->InactiveAccounts(now - im.program.inactivity_days * terminal::kDayMs);
    if (!found.ok()) return found.status();
    inactive = std::move(*found);
  }
  for (const std::string& a : inactive) {
    if (std::find(accounts->begin(), accounts->end(), a) == accounts->end()) {
      accounts->push_back(a);
    }
  }
  std::vector<Receipt> receipts;
  for (const std::string& account_id : *accounts) {
    auto book = im.ledger->LoadBook(account_id);
    if (!book.ok()) return book.status();
    EntryRecord e = im.NewEntry(op_id, EntryKind::kExpire, account_id, now);
    const bool idle =
        std::find(inactive.begin(), inactive.end(), account_id) != inactive.end();
    e.points = -(idle ? book->Held() : book->ExpiredPoints(now));
    e.note = idle ? "no purchase for " + std::to_string(im.program.inactivity_days) + " days"
                  : "points past their expiry date";
    if (idle) e.ref = ledger::kInactivityRef;
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    if (Status s = im.ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
    auto masked = im.ledger->MaskedCardOf(account_id);
    if (!masked.ok()) return masked.status();
    auto view = im.View(account_id, *book, *masked, false, now);
    if (!view.ok()) return view.status();
    Receipt r;
    r.op_id = op_id;
    r.account_id = account_id;
    r.card_masked = *masked;
    r.redeemed = -e.points;
    r.entry_seqs.push_back(e.seq);
    r.after = std::move(*view);
    receipts.push_back(std::move(r));
  }
  if (Status s = im.ledger->SaveOperation(op_id, "expire", digest,
                                          terminal::ReceiptsToJson(receipts));
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return receipts;
}

Result<std::vector<HistoryEntry>> Terminal::History(const CardId& card, int limit) const {
  Impl& im = *impl_;
  if (limit <= 0) {
    return Status(StatusCode::kInvalidArgument,
                  "limit: " + std::to_string(limit) + " must be > 0");
  }
  std::lock_guard<std::mutex> guard(im.mutex);
  auto row = im.FindCard(card, /*refuse_blocked=*/false);
  if (!row.ok()) return row.status();
  return im.ledger->History(row->account_id, limit);
}

Result<VerifyReport> Terminal::Verify(const ProgressFn& progress) const {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto report = im.ledger->Verify(progress);
  if (report.ok() && report->ok) {
    if (Status files = im.CheckProgramFiles(); files.code() == StatusCode::kTampered) {
      report->ok = false;
      report->problem = files.message();
    }
  }
  if (report.ok() && !report->ok) {
    im.Log(LogLevel::kError, "ledger verification failed: " + report->problem);
  }
  return report;
}

Status Terminal::RebuildBalances() {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  return im.ledger->Rebuild(im.NowMs());
}

}  // namespace loyalty
