// The SQLite ledger: accounts, cards, append-only chained entries, lots and
// the POS operations already answered. Callers hold a Transaction around
// each POS operation; the Ledger itself is not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/chain.hpp"
#include "ledger/database.hpp"
#include "ledger/entry.hpp"
#include "ledger/lots.hpp"
#include "ledger/seals.hpp"
#include "loyalty/account.hpp"
#include "loyalty/verify.hpp"

namespace loyalty::ledger {

struct AccountRow {
  std::string account_id;
  std::string name;
  std::int64_t created_at = 0;
  Points balance = 0;
  Points debt = 0;
  std::string birthday;     // "MM-DD" or empty
  std::string referred_by;  // account id or empty
};

struct CardRow {
  std::string account_id;
  std::string masked;
  bool blocked = false;
};

struct StoredOperation {
  std::string kind;
  std::string digest;
  std::string receipt_json;
};

// One line of a sale as it was earned, for line-by-line returns.
struct SaleLine {
  std::int64_t line_no = 0;
  std::string sku;
  std::string category;
  std::int64_t quantity = 0;
  std::int64_t amount_minor = 0;
  std::int64_t discount_minor = 0;
  Points points = 0;
  std::int64_t returned_qty = 0;
  std::int64_t stamps = 0;
};

// A reward bound to lines (free product, line discount, cheapest item)
// taken on a sale: its points come back with those lines.
struct BoundReward {
  std::string reward_id;
  Points points = 0;  // what it cost
  std::map<std::int64_t, std::int64_t> discounts;  // line_no -> minor units off
};

// What the rules need to know about an account's recent activity.
struct Activity {
  std::int64_t spend_minor = 0;   // sales less refunds since `since`
  Points earned = 0;              // earn entries less reversals since `since`
  std::int64_t visits = 0;        // sales since `since`
  std::int64_t last_visit_at = 0; // 0: never
};

// A coupon code issued on this terminal.
struct IssuedCoupon {
  std::string code;
  std::string coupon_id;
  std::string account_id;  // empty: anyone
  std::optional<std::int64_t> uses_left;
  std::optional<std::int64_t> expires_at;
  std::string issued_op;
};

// A reservation: points and rewards held until the sale is confirmed.
struct Hold {
  std::string op_id;
  std::string account_id;
  Points points = 0;
  std::int64_t expires_at = 0;
  std::string state;    // open, confirmed, released
  std::string payload;  // the basket and its quote, as JSON
};

// A program that went in force (an entry of kind "program").
struct ProgramRecord {
  std::int64_t seq = 0;
  std::string sha256_hex;  // of the program document's bytes
  std::string note;        // which program, and how it came in force
};

struct LedgerOptions {
  DatabaseOptions database;
  std::string terminal_key;
};

class Ledger {
 public:
  static Result<std::unique_ptr<Ledger>> Open(const LedgerOptions& options);
  ~Ledger();

  Database& database() { return *db_; }

  // An entry from a row whose columns are, in order: seq, op_id, kind,
  // account_id, points, amount_minor, currency, reverses_seq,
  // pending_until, expires_at, at, note, mac, units, ref. kTampered for a
  // kind this library never writes.
  static Result<EntryRecord> ReadEntry(const Statement& stmt);

  // Where LoadBook finds an account's remote share (Book::SetRemote): set
  // by a live Sync, cleared (nullptr) when it goes. Called under the
  // caller's lock, inside its transaction.
  using RemoteShareFn = std::function<Result<Points>(const std::string& account_id)>;
  void SetRemoteShare(RemoteShareFn fn) { remote_share_ = std::move(fn); }

  // --- POS operations answered before (idempotency) ---
  Result<std::optional<StoredOperation>> FindOperation(const std::string& op_id);
  Status SaveOperation(const std::string& op_id, const std::string& kind,
                       const std::string& digest, const std::string& receipt_json);

  // --- accounts and cards ---
  Result<std::optional<CardRow>> FindCard(const std::string& card_hash);
  Result<std::optional<AccountRow>> FindAccount(const std::string& account_id);
  Status InsertAccount(const AccountRow& account);
  Status InsertCard(const std::string& card_hash, const std::string& account_id,
                    const std::string& masked, std::int64_t at);
  Status SetCardBlocked(const std::string& card_hash, bool blocked);
  // The first card enrolled on the account, for display.
  Result<std::string> MaskedCardOf(const std::string& account_id);

  // --- lots ---
  // The account's open lots plus the lots named in `also`.
  Result<Book> LoadBook(const std::string& account_id,
                        const std::vector<std::int64_t>& also = {});
  // Writes new and changed lots and the cached balance and debt, and the
  // open lots' sums at `now` with the window they hold in (Book::SumsAt).
  Status SaveBook(const std::string& account_id, const Book& book, std::int64_t now);
  Status SaveMoves(std::int64_t seq, const std::vector<LotMove>& moves);
  Result<std::vector<LotMove>> MovesOf(std::int64_t seq);
  // What a debit entry took from each lot and has not been given back yet.
  Result<std::vector<LotMove>> Outstanding(std::int64_t debit_seq);
  Result<std::vector<std::string>> AccountsWithExpiredLots(std::int64_t now);
  // Accounts holding points with no sale or redemption since `cutoff`.
  Result<std::vector<std::string>> InactiveAccounts(std::int64_t cutoff);

  // --- entries ---
  // The seq the next Append will use (inside the current transaction).
  Result<std::int64_t> NextSeq();
  // Sets seq and mac, inserts and advances the sealed chain head.
  Status Append(EntryRecord& entry);
  Result<std::vector<EntryRecord>> EntriesOfOperation(const std::string& op_id);
  Result<std::vector<EntryRecord>> ReversalsOf(std::int64_t seq);
  Result<std::vector<HistoryEntry>> History(const std::string& account_id, int limit);
  Result<std::int64_t> EntryCount();
  // The currency of the ledger's first entry; empty for a ledger without
  // entries. A ledger keeps the currency it started in.
  Result<std::string> Currency();

  // --- activity, sales and rewards (ledger/activity.cpp) ---
  Result<Activity> ActivitySince(const std::string& account_id, std::int64_t since,
                                 std::int64_t until = INT64_MAX);
  // Points earned by sales (bonuses not counted) since `since`.
  Result<Points> EarnedSince(const std::string& account_id, std::int64_t since);
  // Whether the account has an entry with this reference (a bonus paid).
  Result<bool> HasEntryWithRef(const std::string& account_id, const std::string& ref);
  Status InsertSaleLine(const std::string& op_id, const SaleLine& line);
  Result<std::vector<SaleLine>> SaleLines(const std::string& op_id);
  Status SetReturnedQuantity(const std::string& op_id, std::int64_t line_no,
                             std::int64_t returned_qty);
  Status InsertRewardUse(const std::string& op_id, const std::string& reward_id,
                         const std::string& account_id, Points points,
                         const std::string& code, std::int64_t at);
  Status ReverseRewardUses(const std::string& op_id);
  // Uses not reversed, by reward id: per account, or on this terminal (all).
  Result<std::map<std::string, std::int64_t>> RewardUses(const std::string& account_id);
  Result<std::map<std::string, std::int64_t>> RewardStockUsed();
  Result<std::int64_t> RewardUsesSince(const std::string& account_id,
                                       const std::string& reward_id, std::int64_t since);
  Result<std::vector<std::string>> VoucherCodes(const std::string& op_id);
  // Stamps on each stamp card of the account.
  Result<std::map<std::string, std::int64_t>> StampBalances(const std::string& account_id);

  // The points of a card in one read (Terminal::Balance); nullopt for an
  // unknown card.
  struct CardPoints {
    std::string account_id;
    bool blocked = false;
    Points balance = 0;
    Points debt = 0;
    Points usable = 0;        // in lots usable at `now`
    Points pending = 0;       // in lots still pending at `now`
    Points held = 0;          // open holds not expired
    Points held_expired = 0;  // open holds past their time
  };
  Result<std::optional<CardPoints>> PointsOfCard(const std::string& card_hash,
                                                 std::int64_t now);

  // --- stored value (ledger/activity.cpp) ---
  // The gift card's own account, if the card was ever loaded here.
  Result<std::optional<std::string>> FindGiftCard(const std::string& card_hash);
  Status InsertGiftCard(const std::string& card_hash, const std::string& account_id,
                        const std::string& masked);
  // Money on an account under `ref` ("gift" or "wallet"), in minor units.
  Result<std::int64_t> StoredValue(const std::string& account_id, const std::string& ref);
  // What the loads under `ref` written after entry `seq` still put on the
  // account: their units less what voids of them took back.
  Result<std::int64_t> LoadedAfter(const std::string& account_id, const std::string& ref,
                                   std::int64_t seq);

  // --- coupons (ledger/activity.cpp) ---
  Status InsertCoupon(const IssuedCoupon& coupon);
  Result<std::optional<IssuedCoupon>> FindCoupon(const std::string& code);
  // Records a presented code; an issued code loses a use.
  Status UseCoupon(const std::string& op_id, const std::string& code,
                   const std::string& coupon_id, const std::string& account_id);
  // Gives the uses of the operation's codes back.
  Status ReverseCouponUses(const std::string& op_id);
  Result<std::map<std::string, std::int64_t>> CouponUses(const std::string& account_id);
  Result<std::vector<std::string>> CouponsIssuedBy(const std::string& op_id);
  // The codes an operation issued can no longer be used (its sale came back).
  Status RevokeCouponsIssuedBy(const std::string& op_id);

  // --- reservations (ledger/activity.cpp) ---
  Status InsertHold(const Hold& hold);
  Result<std::optional<Hold>> FindHold(const std::string& op_id);
  Status SetHoldState(const std::string& op_id, const std::string& state);
  // Open holds of the account, expired or not.
  Result<std::vector<Hold>> OpenHolds(const std::string& account_id);

  // --- returns (ledger/returns.cpp) ---
  // What a reward bound to lines took off one line of the sale `op_id`;
  // `item` numbers these rows within the sale from 0.
  Status InsertRewardLine(const std::string& op_id, std::int64_t item,
                          const std::string& reward_id, std::int64_t line_no,
                          std::int64_t discount_minor);
  // The sale's rewards bound to lines, with their cost (none for sales
  // written before schema 12).
  Result<std::vector<BoundReward>> BoundRewards(const std::string& op_id);
  // One reward of a sale counts as not taken (its lines all came back).
  Status ReverseRewardUse(const std::string& op_id, const std::string& reward_id);
  // Points expiry entries took out of the lot `lot_id` of the account.
  Result<Points> ExpiredFromLot(const std::string& account_id, std::int64_t lot_id);
  // When the account last bought or spent (earn or redeem entry); INT64_MIN
  // when never. What makes an account idle for inactivity expiry.
  Result<std::int64_t> LastActivity(const std::string& account_id);
  // Every line of the sale counts as returned (the whole sale came back).
  Status MarkLinesReturned(const std::string& op_id);

  // --- programs in force (ledger/program_entries.cpp) ---
  // The newest program entry; nullopt when none (a ledger written before
  // programs were recorded, or opened read-only before its first).
  Result<std::optional<ProgramRecord>> LastProgram();
  // Whether a program entry ever recorded this hash.
  Result<bool> ProgramRecorded(const std::string& sha256_hex);
  // Appends a program entry in a transaction of its own.
  Status AppendProgram(const std::string& sha256_hex, const std::string& currency,
                       std::int64_t at, const std::string& note);

  // --- integrity ---
  Result<VerifyReport> Verify(const ProgressFn& progress);
  // Replays every account's entries into fresh lots and balances (the
  // lots' sums taken at `now`).
  Status Rebuild(std::int64_t now);

 private:
  Ledger(std::unique_ptr<Database> db, std::unique_ptr<Seals> seals, Chain chain);
  Status Prepare();
  Status CheckKey();
  struct Head {
    std::int64_t seq = 0;
    std::string mac = std::string(32, '\0');
  };
  Result<Head> ReadHead();
  // The head as this transaction last read or wrote it: the sealed record
  // is read and its tag checked once per transaction, not once per entry.
  Result<Head> CurrentHead();
  Head cached_head_;
  // The account row last read or written in this transaction: a sale reads
  // it for the book, the rules, the bonuses and the view.
  bool InTransaction(std::uint64_t generation) const;
  AccountRow cached_account_;
  std::uint64_t cached_account_generation_ = 0;  // 0: none
  std::uint64_t cached_head_generation_ = 0;  // 0: none (generations start at 1)

  std::unique_ptr<Database> db_;
  std::unique_ptr<Seals> seals_;  // after db_: unhooked before it closes
  Chain chain_;
  struct Statements;
  std::unique_ptr<Statements> st_;
  RemoteShareFn remote_share_;
  struct ActivityStatements;
  std::unique_ptr<ActivityStatements> activity_;
  Status PrepareActivity();
  struct ReturnStatements;
  std::unique_ptr<ReturnStatements> returns_;
  Status PrepareReturns();
};

}  // namespace loyalty::ledger
