// The Terminal: everything a till does with loyalty, behind one object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loyalty/account.hpp"
#include "loyalty/basket.hpp"
#include "loyalty/card.hpp"
#include "loyalty/env.hpp"
#include "loyalty/quote.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/report.hpp"
#include "loyalty/status.hpp"
#include "loyalty/verify.hpp"

namespace loyalty {

namespace terminal {
class ChainLink;  // what the sync layer may do with a Terminal (internal)
}

// Everything that configures a Terminal, each with its default.
struct Options {
  std::string database_path;       // required: the SQLite ledger file
  std::string terminal_id;         // required: unique in the chain
  std::string store_id;            // for rules limited to stores
  std::string terminal_key;        // required (or terminal_key_file): >= 32
                                   // bytes of secret; keys the hash chain of
                                   // this terminal's ledger
  std::string terminal_key_file;   // instead of terminal_key: the file that
                                   // holds it, read by Open with
                                   // ReadSecretFile (env.hpp): a file group or
                                   // others may read or write, or that is not
                                   // a regular file, is refused with
                                   // kInvalidArgument naming it and its mode.
                                   // Setting both is kInvalidArgument
  std::string card_key;            // keys the hash under which card numbers
                                   // are stored (never in clear); one key for
                                   // the whole chain. Empty: terminal_key
  std::string program_path;        // required: the program document (JSON)
  std::string program_public_key_pem;  // the chain's Ed25519 program key
                                   // (PEM). Set: every program file must
                                   // carry "<file>.sig", its signature
                                   // (loyalty-server sign-program), or it is
                                   // refused with kTampered. Empty: files are
                                   // trusted as given, but bound to the
                                   // ledger (below)
  bool allow_unsigned_program_change = false;  // the ledger records the
                                   // SHA-256 of every program that goes in
                                   // force (a "program" entry). false: Open
                                   // refuses with kTampered a program file
                                   // that differs from the last one recorded
                                   // ("unsigned change on disk") unless it is
                                   // signed by program_public_key_pem. true:
                                   // Open puts it in force, logs a warning
                                   // and records it with a note saying so
  bool read_only = false;          // true: lookups, history, reports and
                                   // Verify only, on a ledger that must exist
                                   // at the latest schema; the file is opened
                                   // read-only (immutable when it has no WAL
                                   // left) and nothing is created beside it:
                                   // no lock file, WAL or SHM (read-only
                                   // media, an archived copy). Every call
                                   // that writes answers kInvalidArgument.
                                   // Not for a ledger another till writes
  bool ledger_must_exist = false;  // true: Open refuses (kTampered) a ledger
                                   // file that is missing, empty (0 bytes) or
                                   // has no entries: for a caller whose key
                                   // file says this key has written entries
                                   // before, so a wiped till is not taken for
                                   // a new one
  bool synchronous_full = true;    // false: synchronous=NORMAL (faster, may
                                   // lose the last commits on power loss)
  int busy_timeout_ms = 2000;      // wait this long for a briefly busy file
  const Clock* clock = nullptr;    // nullptr: the system clock; not owned
  IdSource* ids = nullptr;         // nullptr: OpenSSL randomness; not owned
  LogFn log;                       // nullptr: silent
};

// A summary of the program in force.
struct ProgramInfo {
  std::string id;
  std::int64_t version = 0;
  std::string name;
  std::string currency;
  std::string time_zone;  // IANA zone of the store, e.g. "Europe/Paris"
};

// Thread-safety: every method may be called from several threads at once;
// operations on one Terminal are serialised internally. A ledger file is
// owned by one Terminal at a time: a second Open() of the same file, from
// this process or another, fails with kDatabaseLocked.
class Terminal {
 public:
  // Opens (creating or migrating) the ledger and loads the program.
  // Errors: kInvalidArgument (a missing option, named; a key file others
  // may read), kProgramInvalid, kTampered (the program file is not signed
  // by program_public_key_pem; an unsigned change on disk: the program
  // differs from the last one this ledger recorded; a ledger that must
  // exist is missing or empty), kCurrencyMismatch, kDatabaseLocked,
  // kDatabaseCorrupt, kIoError. Writes nothing before every option is
  // checked. A program version accepted
  // from the server goes back in force unless its file was changed since:
  // then the program file stays in force, a warning is logged and Verify()
  // names the file.
  static Result<std::unique_ptr<Terminal>> Open(Options options);

  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // Loads a new program document; on any problem the current program stays
  // in force and kProgramInvalid lists every problem with its JSON path
  // (kTampered: not signed by program_public_key_pem, when set). A program
  // whose SHA-256 differs from the last one recorded is recorded (a
  // "program" entry, docs/ledger.md): an explicit load is how a till
  // changes its program. kInvalidArgument on a read_only terminal.
  Status LoadProgram(const std::string& path);
  ProgramInfo program() const;

  // Puts a card on a new or existing account. kCardAlreadyEnrolled,
  // kPaymentCardRefused, kNotFound (account_id unknown).
  Result<Receipt> Enroll(const Enrollment& request);

  // What the till shows for a card. kUnknownCard. A blocked card is shown
  // (with blocked = true) so the cashier can tell the customer why.
  Result<CardView> Lookup(const CardId& card) const;
  // Only the points (no tier, segment, rewards or stamps): for screens
  // that refresh often. kUnknownCard.
  Result<PointsBalance> Balance(const CardId& card) const;
  // The same for a reader event: a bad read is returned as its kBadRead; a
  // card not enrolled that the program could never enrol (a payment card,
  // a number outside the program's card format) as kPaymentCardRefused or
  // kInvalidArgument, so the cashier can ask for the loyalty card.
  Result<CardView> Identify(const CardRead& read) const;

  // What the basket would earn for this card, the rewards it could take and
  // what each would do to this basket, tier progress and explanations.
  // `rewards` are applied as Commit would apply them; one the card cannot
  // take does not fail the quote: it is listed in Quote::refused_rewards
  // with the code Commit would return and the reason, and the figures are
  // without it. Writes nothing.
  Result<Quote> QuoteBasket(const CardId& card, const Basket& basket,
                            const std::vector<std::string>& rewards = {},
                            const std::vector<std::string>& coupons = {}) const;

  // A sale: takes the chosen rewards, spends `redeem_points` as a tender and
  // earns on what is left to pay, re-checking everything the quote showed.
  // kUnknownCard, kCardBlocked, kInsufficientPoints, kAmountNegative,
  // kAmountOverflow, kCurrencyMismatch, kDuplicateIdConflict,
  // kRewardRefused (a reward the card cannot take, named with the reason).
  Result<Receipt> Commit(const Checkout& checkout);
  Result<Receipt> Redeem(const Redemption& request);

  // For tills where payment can still fail after a reward was applied:
  // Reserve takes what the sale spends (points, rewards, stamps: visible as
  // held) and nothing more; ConfirmReservation then books what the sale
  // earns, ReleaseReservation gives everything back. A reservation left
  // open past the program's reservations.hold_minutes is released by
  // itself: lookups show its points as available again at once, and the
  // account's next sale, redemption or reservation writes the release;
  // until then it can still be confirmed. The sale is refunded or voided by the
  // reservation's op_id. kNotFound, kAlreadyReversed (released or already
  // confirmed).
  Result<Receipt> Reserve(const Checkout& checkout);
  Result<Receipt> ConfirmReservation(const ReservationDecision& decision);
  Result<Receipt> ReleaseReservation(const ReservationDecision& decision);
  // kNotFound (no such sale), kAlreadyReversed, kInvalidArgument (more
  // than is left to refund).
  Result<Receipt> Refund(const RefundRequest& request);
  // Goods of an earlier sale brought back and other goods bought, as one
  // operation: both halves are written or neither (a purchase the card
  // cannot pay leaves the return undone too), and the op_id is
  // idempotent like every operation's. The return half is Refund by lines,
  // the purchase half Commit on the same customer. The new goods are
  // returned later with RefundRequest{.sale_op_id = the exchange's op_id}.
  // Errors: those of Refund and of Commit; kInvalidArgument when
  // `returned` is empty, or `purchase.card` is not on the sale's account,
  // or `purchase.op_id` is neither empty nor the exchange's op_id.
  Result<ExchangeReceipt> Exchange(const ExchangeRequest& request);
  Result<Receipt> Void(const VoidRequest& request);
  Result<Receipt> Adjust(const Adjustment& request);
  // A bonus for something the customer did (review, survey); kInvalidArgument
  // when the program has no bonus for the event.
  Result<Receipt> RecordEvent(const CustomerEvent& event);
  Result<Receipt> Block(const CardBlock& request);

  // Gift cards and the e-wallet: money in the program currency, used as a
  // tender at Commit, given back to the card in proportion by refunds and
  // in full by voids of the sale, idempotent on op_id like everything else. A gift card is
  // created by its first load. kInvalidArgument (amount not > 0),
  // kInsufficientFunds at Commit, kUnknownCard (wallet of an unknown card).
  Result<Receipt> LoadGiftCard(const StoredValueLoad& load);
  Result<std::int64_t> GiftCardBalance(const CardId& gift_card) const;
  Result<Receipt> TopUpWallet(const StoredValueLoad& load);
  // Takes back money a gift-card load or wallet top-up put on (all of it,
  // or request.amount_minor), and only money still on the card: the card's
  // money is spent first in, first out, so what is left of a load is what
  // the card holds beyond the loads made after it, at most what the load
  // put on less what voids took back. Asking for more is refused with
  // kInsufficientFunds, its message naming how much is left to take back.
  // Writes one stored_value entry of minus the amount pointing at the load
  // (reverses_seq), which syncs like any entry; the receipt's
  // stored_value_minor is minus the amount (a wallet's receipt also has
  // the account after it). Idempotent on op_id. Loads made at other tills
  // are known here only through the server's balance: they count as older
  // than this till's own. Errors: kInvalidArgument (no operator_id, an
  // amount not > 0 or above what the load has left, or load_op_id is not a
  // load), kNotFound (no such operation in this ledger: a load is taken
  // back at the till that made it), kAlreadyReversed (all of it was taken
  // back), kInsufficientFunds.
  //
  // Why not Void and Refund: they undo points and never refuse (points
  // already spent become debt), but money already spent cannot be taken
  // back; and a load has no lines or sale total to refund from. One call
  // with one rule is harder to misuse than a Void whose meaning changes
  // with its target, so Void and Refund refuse a load and name this call.
  Result<Receipt> VoidLoad(const LoadVoid& request);

  // Writes expiry entries for every lot past its expiry date; returns
  // the receipts written (one per account touched). Idempotent per op_id.
  Result<std::vector<Receipt>> ExpirePoints(const std::string& op_id);

  // The account's entries, newest first, at most `limit`.
  Result<std::vector<HistoryEntry>> History(const CardId& card,
                                            int limit = 50) const;

  // Checks the hash chain of every entry, the chain head, and that every
  // cached balance and lot equals what its entries say; then that the
  // program files are the ones signed (program_public_key_pem) or accepted
  // from the server, and that the program in force, and its file on disk,
  // are the last program the ledger recorded. Never writes.
  Result<VerifyReport> Verify(const ProgressFn& progress = {}) const;

  // Rebuilds every cached balance and lot from the entries (after Verify()
  // reported a cached balance wrong but the chain intact).
  Status RebuildBalances();

  // A sale made without a card, for the till report (member share, average
  // baskets). Writes no ledger entry; idempotent on op_id (another amount
  // under the same op_id: kDuplicateIdConflict). kCurrencyMismatch,
  // kAmountNegative.
  Status RecordAnonymousSale(const AnonymousSale& sale);

  // The end-of-day loyalty report of this till for [from, to), in total and
  // per cashier (see report.hpp for each figure). kInvalidArgument when
  // from > to or the point value is negative or per 0 points. Never writes.
  Result<TillReportData> TillReport(Timestamp from, Timestamp to,
                                    PointValue point_value = {}) const;

 private:
  friend class terminal::ChainLink;
  struct Impl;
  explicit Terminal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace loyalty
