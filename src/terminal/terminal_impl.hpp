// The Terminal's state, shared by the files that implement its operations.
// Internal: not installed.
#pragma once

#include <date/tz.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/limits.hpp"
#include "common/text.hpp"
#include "engine/card_rules.hpp"
#include "engine/earn.hpp"
#include "engine/expiry.hpp"
#include "engine/program.hpp"
#include "ledger/apply.hpp"
#include "ledger/chain.hpp"
#include "ledger/ledger.hpp"
#include "ledger/mac.hpp"
#include "loyalty/terminal.hpp"
#include "terminal/chain.hpp"
#include "terminal/file_lock.hpp"
#include "terminal/program_file.hpp"
#include "terminal/random_ids.hpp"
#include "terminal/receipt_json.hpp"

namespace loyalty {

namespace terminal {
inline constexpr std::int64_t kDayMs = 86'400'000;
inline constexpr size_t kMaxOpIdLength = limits::kMaxOpIdBytes;
// The kinds gift-card loads and wallet top-ups are stored under
// (operations.kind), which VoidLoad takes back.
inline constexpr const char* kGiftLoadKind = "gift_load";
inline constexpr const char* kWalletLoadKind = "wallet_load";

inline Status CheckOpId(const std::string& op_id) {
  if (op_id.empty()) return {StatusCode::kInvalidArgument, "op_id: is empty"};
  if (op_id.size() > kMaxOpIdLength) {
    return {StatusCode::kInvalidArgument,
            "op_id: longer than " + std::to_string(kMaxOpIdLength) + " characters"};
  }
  return text::Check("op_id", op_id, kMaxOpIdLength);
}
}  // namespace terminal

struct Terminal::Impl {
  Impl(Options o, terminal::FileLock l, std::unique_ptr<ledger::Ledger> lg,
       engine::Program p)
      : options(std::move(o)),
        lock(std::move(l)),
        ledger(std::move(lg)),
        program(std::move(p)),
        card_mac(options.card_key.empty() ? options.terminal_key : options.card_key) {
    clock = options.clock ? options.clock : &system_clock;
    ids = options.ids ? options.ids : &random_ids;
  }

  Options options;
  terminal::FileLock lock;
  std::unique_ptr<ledger::Ledger> ledger;
  engine::Program program;
  // The chain's program key, when the terminal pins one.
  std::optional<trust::Ed25519Verifier> program_key;
  const date::time_zone* zone = nullptr;  // the program's store time zone
  std::string program_sha256;  // hex SHA-256 of the program in force
  std::string program_source;  // the file it was read from
  ledger::Mac card_mac;
  SystemClock system_clock;
  terminal::RandomIds random_ids;
  const Clock* clock = nullptr;
  IdSource* ids = nullptr;
  mutable std::mutex mutex;
  // What the chain says (the hotlist, the server's share of balances, the
  // offline cap, the programs it published), once the ledger has synced,
  // for the Terminal's life: installed by the sync layer (terminal/chain.hpp).
  // nullptr: a till that never synced.
  std::unique_ptr<terminal::Chain> chain;
  bool sync_attached = false;  // a live Sync uses this Terminal (one at a time)

  // Puts `installed` (not null) in force, and the server's share of
  // balances with it. Under `mutex` (or before the Terminal is shared).
  void InstallChain(std::unique_ptr<terminal::Chain> installed) {
    chain = std::move(installed);
    terminal::Chain* in_force = chain.get();
    ledger->SetRemoteShare(
        [in_force](const std::string& account_id) { return in_force->RemotePoints(account_id); });
  }

  // Money on an account under `ref`: this till's entries plus what the
  // server's snapshot adds from other tills (gift cards loaded elsewhere).
  Result<std::int64_t> StoredValueNow(const std::string& account_id,
                                      const std::string& ref) const {
    auto local = ledger->StoredValue(account_id, ref);
    if (!local.ok() || chain == nullptr) return local;
    auto remote = chain->RemoteStoredValue(account_id, ref);
    if (!remote.ok()) return remote.status();
    return *local + *remote;
  }

  // Programs (terminal/program_check.cpp). Under `mutex` or before the
  // Terminal is shared.
  // Reads a version accepted from the server back from its file: kTampered
  // when the file is not the document sealed when it was accepted.
  Result<terminal::LoadedProgram> ReadAcceptedProgram(
      const terminal::AcceptedProgram& record) const;
  // Puts `loaded` in force and records it (a program entry) when it is
  // not the last program recorded, `how` saying why it came in force;
  // kProgramInvalid when it trades in another currency than the ledger.
  Status InstallProgram(terminal::LoadedProgram loaded, const std::string& how);
  // Records `recorded` (whose bytes hash to `sha256_hex`) unless it is the
  // last program recorded (or the terminal is read-only).
  Status RecordProgram(const engine::Program& recorded, const std::string& sha256_hex,
                       const std::string& how);
  // The program file Open put in force (`program`, `program_source`)
  // against the last one recorded:
  // the same, or the ledger's first, or signed, or allowed by
  // allow_unsigned_program_change (logged) is recorded; otherwise
  // kTampered ("unsigned change on disk"). `server_refused`: the server's
  // version in force could not be loaded again, and a program this ledger
  // ran before may stand in for it.
  Status BindProgramFile(bool server_refused);
  // kTampered when the program in force is not the last one recorded, or
  // its file no longer holds it.
  Status CheckProgramBinding() const;
  // kInvalidArgument naming `what` on a read-only terminal.
  Status CheckWritable(const char* what) const {
    if (!options.read_only) return Status::Ok();
    return {StatusCode::kInvalidArgument,
            std::string(what) + ": this terminal was opened read_only; it writes nothing"};
  }
  // kTampered naming the first program file that is not what was signed
  // (program_key) or accepted from the server (its seal).
  Status CheckProgramFiles() const;

  // The store's local day, weekday and minute for a UTC instant.
  engine::LocalTime Local(std::int64_t utc_ms) const;
  // UTC milliseconds of the local midnight that starts `local_day`.
  std::int64_t LocalMidnightUtc(std::int64_t local_day) const;
  // What the rules may know about the account right now.
  Result<engine::Context> ContextFor(const std::string& account_id,
                                     const ledger::Book& book, std::int64_t now) const;

  std::int64_t NowMs() const {
    return clock->Now().time_since_epoch().count();
  }

  void Log(LogLevel level, const std::string& message) const {
    if (options.log) options.log(level, message);
  }

  std::string CardHash(const CardId& card) const {
    return card_mac.Compute("loyalty-card-v1:" + card.value());
  }

  // The account a card belongs to; kUnknownCard / kCardBlocked.
  Result<ledger::CardRow> FindCard(const CardId& card, bool refuse_blocked) const {
    if (card.empty()) return Status(StatusCode::kInvalidArgument, "card: is empty");
    const std::string hash = CardHash(card);
    auto row = ledger->FindCard(hash);
    if (!row.ok()) return row.status();
    if (!*row) {
      // A number that cannot be a card of this program was mistyped: say so,
      // so the cashier keys it again instead of telling a member they are
      // not one.
      if (Status format = engine::CheckCardNumber(program.cards, card);
          format.code() == StatusCode::kInvalidArgument) {
        return format;
      }
      return Status(StatusCode::kUnknownCard,
                    "card " + card.Masked() + ": not enrolled on this program");
    }
    bool hotlisted = false;
    if (chain && !(*row)->blocked) {
      auto listed = chain->CardHotlisted(hash);
      if (!listed.ok()) return listed.status();
      hotlisted = *listed;
      (*row)->blocked = hotlisted;
    }
    if (refuse_blocked && (*row)->blocked) {
      return Status(StatusCode::kCardBlocked,
                    "card " + card.Masked() +
                        (hotlisted ? ": is on the chain's hotlist (blocked or lost)"
                                   : ": is blocked"));
    }
    return std::move(**row);
  }

  Result<CardView> View(const std::string& account_id, const ledger::Book& book,
                        const std::string& masked, bool blocked,
                        std::int64_t now) const {
    auto account = ledger->FindAccount(account_id);
    if (!account.ok()) return account.status();
    auto context = ContextFor(account_id, book, now);
    if (!context.ok()) return context.status();
    CardView view;
    view.account_id = account_id;
    // Shown on a till screen: no escape code in a name paints it (docs/limits.md).
    view.name = *account ? text::ForDisplay((*account)->name) : std::string();
    view.card_masked = masked;
    view.available = book.Available(now);
    view.pending = book.Pending(now);
    // Open holds are out of available already; expired ones come back at
    // the account's next operation, and are shown as back now.
    auto holds = ledger->OpenHolds(account_id);
    if (!holds.ok()) return holds.status();
    for (const ledger::Hold& hold : *holds) {
      (hold.expires_at > now ? view.held : view.available) += hold.points;
    }
    view.balance = book.balance() + book.remote();
    view.blocked = blocked;
    if (const engine::Tier* tier = engine::HeldTier(program, *context)) {
      view.tier = tier->id;
    }
    view.segment = context->segment;
    auto wallet = StoredValueNow(account_id, ledger::kWalletRef);
    if (!wallet.ok()) return wallet.status();
    view.wallet_minor = *wallet;
    view.rewards = engine::RewardOptions(program, *context);
    for (const engine::StampCard& card : program.stamp_cards) {
      auto have = context->stamps.find(card.id);
      StampProgress stamps;
      stamps.card = card.id;
      stamps.balance = have == context->stamps.end() ? 0 : have->second;
      stamps.needed = card.needed;
      stamps.reward = card.reward;
      view.stamps.push_back(std::move(stamps));
    }
    return view;
  }

  // Reserves the next seq, moves the lots, chains and stores the entry.
  Status Post(ledger::Book& book, ledger::EntryRecord& entry,
              const std::vector<ledger::LotMove>& outstanding = {}) {
    auto seq = ledger->NextSeq();
    if (!seq.ok()) return seq.status();
    entry.seq = *seq;
    auto moves = ledger::ApplyEntry(book, entry, outstanding);
    if (!moves.ok()) return moves.status();
    if (Status s = ledger->Append(entry); !s.ok()) return s;
    if (Status s = ledger->SaveMoves(entry.seq, *moves); !s.ok()) return s;
    if (chain && entry.kind == EntryKind::kRedeem) {
      // The entry is in the transaction, so the cap counts it; a refusal
      // rolls the whole operation back.
      return chain->CheckOfflineRedemption(entry.account_id, entry.at,
                                           LocalMidnightUtc(Local(entry.at).day));
    }
    return Status::Ok();
  }

  ledger::EntryRecord NewEntry(const std::string& op_id, EntryKind kind,
                       const std::string& account_id, std::int64_t now) const {
    ledger::EntryRecord e;
    e.op_id = op_id;
    e.kind = kind;
    e.account_id = account_id;
    e.currency = std::string(program.currency.code());
    e.at = now;
    return e;
  }

  void SetCreditDates(ledger::EntryRecord& e) const {
    e.pending_until = e.at + program.pending_days * terminal::kDayMs;
    if (program.expiry_days > 0) e.expires_at = e.at + program.expiry_days * terminal::kDayMs;
    if (auto day = engine::PeriodEndExpiryDay(program, Local(e.at).day)) {
      e.expires_at = LocalMidnightUtc(*day);
    }
  }

  // Coupon codes presented at the till → (code, coupon id); names the
  // first code that is unknown, someone else's, used up or expired.
  Result<std::vector<std::pair<std::string, std::string>>> ResolveCoupons(
      const std::vector<std::string>& codes, const std::string& account_id,
      std::int64_t now) const;

  // The halves of a sale (src/terminal/sale.cpp).
  Result<Quote> QuoteForSale(const Checkout& checkout, const std::string& account_id,
                             const ledger::Book& book, std::int64_t now) const;
  Status SpendSide(const Checkout& checkout, const std::string& account_id,
                   ledger::Book& book, const Quote& quote, std::int64_t now, Receipt& r);
  Status EarnSide(const std::string& sale_op_id, const Basket& basket,
                  const std::string& account_id, ledger::Book& book, const Quote& quote,
                  std::int64_t now, Receipt& r);

  // A checkout's own mistakes (negative tender, a reward listed twice).
  static Status CheckCheckout(const Checkout& checkout);
  // A whole sale inside the caller's transaction: both halves, the book
  // saved, the receipt with the account after it.
  Result<Receipt> Sell(const Checkout& checkout);

  // What makes two checkouts "the same request" for op_id replays.
  static std::string CheckoutDigest(const Checkout& checkout);
  // The digests the libraries of older schemas stored for the same
  // checkout: each layout ended before fields added since (rewards at
  // schema 3, coupons at 8, money tenders at 9), so a checkout that leaves
  // those at their defaults replays what they stored after an upgrade.
  static std::vector<std::string> OlderCheckoutDigests(const Checkout& checkout);

  // Gift cards and wallet (src/terminal/stored_value.cpp).
  Status MoveStoredValue(const std::string& op_id, const std::string& account_id,
                         const std::string& ref, std::int64_t units,
                         std::optional<std::int64_t> reverses, const std::string& note,
                         std::int64_t now, Receipt& r);
  Status PayWithStoredValue(const Checkout& checkout, const std::string& account_id,
                            const Quote& quote, std::int64_t now, Receipt& r);
  // A gift-card load or wallet top-up, by the kind its operation is stored
  // under (src/terminal/load_void.cpp).
  static bool IsLoadKind(const std::string& operation_kind);

  // Reservations (src/terminal/reservation.cpp): give back what a hold
  // took, writing under `op_id`; release every expired hold of an account.
  Status ReleaseHold(const ledger::Hold& hold, const std::string& op_id, ledger::Book& book,
                     std::int64_t now, Receipt& r);
  Status ReleaseExpiredHolds(const std::string& account_id, ledger::Book& book,
                             std::int64_t now);

  // Writes under `op_id` the expiry entry the daily run would write for
  // the account at `now` (points past their date, or every point of an
  // idle account), nothing when none is due; adds it to `r`. A return
  // calls it before it moves lots, so returns and expiry commute.
  Status ExpireDue(const std::string& op_id, const std::string& account_id,
                   ledger::Book& book, std::int64_t now, Receipt& r);

  // Birthday and referral bonuses a sale triggers, written in its operation.
  Status PayBonuses(const std::string& op_id, const std::string& account_id,
                    ledger::Book& book, std::int64_t now, Receipt& receipt);

  // Runs `body` as one idempotent POS operation in one SQLite transaction.
  // `older_digests`: what older libraries stored for the same request
  // (OlderCheckoutDigests), replayed like `digest`.
  template <typename Body>
  Result<Receipt> Operation(const std::string& op_id, const char* kind,
                            const std::string& digest, Body body,
                            const std::string& cashier_id = {},
                            const std::vector<std::string>& older_digests = {}) {
    if (Status s = CheckWritable(kind); !s.ok()) return s;
    if (Status s = terminal::CheckOpId(op_id); !s.ok()) return s;
    std::lock_guard<std::mutex> guard(mutex);
    ledger::Transaction tx(ledger->database());
    if (!tx.begun().ok()) return tx.begun();
    auto stored = ledger->FindOperation(op_id);
    if (!stored.ok()) return stored.status();
    if (*stored) {
      const bool same = ledger::SameMac((*stored)->digest, digest) ||
                        std::any_of(older_digests.begin(), older_digests.end(),
                                    [&](const std::string& d) {
                                      return ledger::SameMac((*stored)->digest, d);
                                    });
      if ((*stored)->kind != kind || !same) {
        return Status(StatusCode::kDuplicateIdConflict,
                      "op_id '" + op_id + "' was already used for a " +
                          (*stored)->kind + " with other content");
      }
      auto receipt = terminal::ReceiptFromJson((*stored)->receipt_json);
      if (!receipt.ok()) return receipt.status();
      receipt->replayed = true;
      return receipt;
    }
    Result<Receipt> receipt = body();
    if (!receipt.ok()) return receipt;
    receipt->op_id = op_id;
    if (Status s = ledger->SaveOperation(op_id, kind, digest,
                                         terminal::ReceiptToJson(*receipt));
        !s.ok()) {
      return s;
    }
    if (Status s = SaveCashier(op_id, cashier_id); !s.ok()) return s;
    if (Status s = tx.Commit(); !s.ok()) return s;
    Log(LogLevel::kInfo, std::string(kind) + " " + op_id + " on card " +
                             receipt->card_masked + ": earned " +
                             std::to_string(receipt->earned) + ", redeemed " +
                             std::to_string(receipt->redeemed));
    return receipt;
  }

  // Who rang up `op_id`, for the till report; nothing when `cashier_id` is
  // empty. Defined in till_report.cpp, inside the operation's transaction.
  Status SaveCashier(const std::string& op_id, const std::string& cashier_id);

  // Everything of a sale, redemption or adjustment not reversed yet is
  // reversed, in proportion `amount` of the sale total for sales.
  // `lines`, when given, are the units returned: their points are taken
  // back exactly as they were earned.
  Result<Receipt> Reverse(const std::string& op_id, const std::string& target_op_id,
                          std::optional<std::int64_t> amount,
                          const std::vector<ReturnLine>& lines, bool is_void,
                          const std::string& note);
};

}  // namespace loyalty
