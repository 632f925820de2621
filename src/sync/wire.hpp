// The JSON documents of the sync protocol (docs/sync-protocol.md §3, §4, §6):
// the push body the till sends, and the answers it reads. Parsing never
// throws: an unreadable answer is a kNetworkError (an unknown outcome).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/entry.hpp"
#include "loyalty/status.hpp"

namespace loyalty::sync {

inline constexpr int kProtocol = 1;

struct WireCard {
  std::string card_hash;  // raw bytes (hex on the wire)
  std::string masked;
  bool blocked = false;
  std::int64_t enrolled_at = 0;
};

struct WireAccount {
  std::string account_id;
  std::string name;
  std::vector<WireCard> cards;
};

// A gift card with entries in the batch: its account holds the money.
struct WireGiftCard {
  std::string account_id;
  std::string card_hash;  // raw bytes (hex on the wire)
  std::string masked;
};

// A coupon code issued here, for other tills to honour.
struct WireCoupon {
  std::string code;
  std::string coupon_id;
  std::string account_id;            // "": anyone may present it
  std::optional<std::int64_t> uses;  // how many uses it was issued with; nullopt: unlimited
  std::optional<std::int64_t> expires_at;
};

// A coupon presented here (reversed: its sale was returned).
struct WireCouponUse {
  std::string code;
  std::string op_id;
  std::string account_id;
  bool reversed = false;
};

// Appends entries to a push body, keeping count of its size.
class BatchBody {
 public:
  BatchBody(std::string terminal_id, std::string batch_id, std::string prev_mac);
  ~BatchBody();
  BatchBody(BatchBody&&) noexcept;
  // The size the body would have with `entry` added.
  std::size_t SizeWith(const ledger::EntryRecord& entry) const;
  void Add(const ledger::EntryRecord& entry);
  void AddAccount(const WireAccount& account);
  void AddGiftCard(const WireGiftCard& gift_card);
  void AddCoupon(const WireCoupon& coupon);
  void AddCouponUse(const WireCouponUse& use);
  std::int64_t first_seq() const { return first_seq_; }
  std::int64_t last_seq() const { return last_seq_; }
  std::size_t count() const { return count_; }
  std::string Finish() const;

 private:
  struct Parts;  // the JSON under construction (nlohmann stays out of headers)
  std::unique_ptr<Parts> parts_;
  std::string terminal_id_;
  std::string batch_id_;
  std::string prev_mac_;
  std::size_t size_ = 0;  // bytes of the body as it stands
  std::int64_t first_seq_ = 0;
  std::int64_t last_seq_ = 0;
  std::size_t count_ = 0;
};

struct EntryResult {
  std::int64_t seq = 0;
  std::string status;
  std::string reason;
};

struct BalanceSnapshot {
  std::string account_id;
  std::int64_t points = 0;
  std::int64_t version = 0;
  std::int64_t includes_through_seq = 0;
  // Pull only: how to recognise the account.
  std::string name;
  std::vector<WireCard> cards;
};

struct ServerReceipt {
  std::string terminal_id;
  std::int64_t seq = 0;
  std::string mac;        // raw
  std::int64_t server_time = 0;
  std::string signature;  // raw
};

struct PushAnswer {
  std::string batch_id;
  std::int64_t acked_through_seq = 0;
  bool halted = false;
  std::vector<EntryResult> results;
  std::vector<BalanceSnapshot> balances;
  std::optional<ServerReceipt> receipt;
  std::int64_t server_time = 0;
};
Result<PushAnswer> ParsePushAnswer(const std::string& body);

struct ErrorAnswer {
  std::string error;   // the code, e.g. "seq_gap"
  std::string reason;
  std::optional<std::int64_t> expected_seq;
  std::optional<std::int64_t> server_time;
  std::optional<std::int64_t> seq;
};
Result<ErrorAnswer> ParseErrorAnswer(const std::string& body);

// The server's money on an account (ref "gift" or "wallet"), as for points.
struct StoredValueSnapshot {
  std::string account_id;
  std::string ref;
  std::int64_t balance_minor = 0;
  std::int64_t version = 0;
  std::int64_t includes_through_seq = 0;
  std::optional<WireGiftCard> gift_card;  // how to recognise a gift card
};

// A coupon code as the server knows it: uses_left counts every till's uses.
struct CouponState {
  std::string code;
  std::string coupon_id;
  std::string account_id;
  std::optional<std::int64_t> uses_left;  // nullopt: unlimited
  std::optional<std::int64_t> expires_at;
};

struct Change {
  std::string kind;  // balance, hotlist, program, policy, stored_value,
                     // coupon; others are skipped
  BalanceSnapshot balance;
  std::string card_hash;  // hotlist, raw
  std::string state;      // hotlist
  std::int64_t version = 0;
  std::string document;   // program
  std::string signature;  // program, raw
  std::optional<std::int64_t> offline_after_ms;          // policy
  std::optional<std::int64_t> offline_redeem_cap;        // policy
  StoredValueSnapshot stored_value;                      // stored_value
  CouponState coupon;                                    // coupon
};

struct ChangesPage {
  std::vector<Change> changes;
  std::string next_cursor;
  bool has_more = false;
  std::int64_t server_time = 0;
};
Result<ChangesPage> ParseChangesPage(const std::string& body);

// The message a server receipt signs.
std::string ReceiptMessage(const ServerReceipt& receipt);

}  // namespace loyalty::sync
