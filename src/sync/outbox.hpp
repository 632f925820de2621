// The push side's storage: the ledger's entries as the outbox, the batches
// cut from them (stored before their first send), and what the server
// answered (acked seq, receipts, exceptions). Every method expects the
// caller to hold the Terminal's lock; writes join the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/database.hpp"
#include "loyalty/sync.hpp"
#include "sync/sync_state.hpp"
#include "sync/wire.hpp"

namespace loyalty::sync {

struct Batch {
  std::string batch_id;
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t attempts = 0;
};

struct BatchLimits {
  int max_entries = 500;
  std::size_t max_bytes = 256 << 10;
};

class Outbox {
 public:
  static Result<std::unique_ptr<Outbox>> Prepare(ledger::Database& db);

  Result<std::int64_t> HeadSeq();
  Result<std::int64_t> AckedSeq();
  // The time of the entry after the acked one, if any.
  Result<std::optional<std::int64_t>> OldestUnsentAt();

  // The batch cut and not answered yet, if any.
  Result<std::optional<Batch>> OpenBatch();
  // Cuts the next batch from acked_seq + 1 within `limits` and stores it
  // (the caller commits before sending). nullopt when nothing is unsent.
  Result<std::optional<Batch>> CutBatch(const std::string& batch_id, const BatchLimits& limits,
                                        std::int64_t now);
  // The body of a stored batch, rebuilt from the (immutable) entries: the
  // same bytes for the same batch, whenever it is sent.
  Result<std::string> Body(const std::string& terminal_id, const Batch& batch);
  Status CountAttempt(const Batch& batch);
  Status CloseBatch(const Batch& batch, const char* state, std::int64_t now);

  // The mac of entry `seq` (32 zero bytes for 0).
  Result<std::string> MacAt(std::int64_t seq);

  Status SetAckedSeq(std::int64_t seq);
  Status SaveReceipt(const ServerReceipt& receipt, bool verified, const std::string& batch_id);
  Status SaveException(const EntryResult& result, const std::string& batch_id,
                       std::int64_t now);
  Result<std::vector<SyncException>> Exceptions();
  Result<std::int64_t> ExceptionCount();

  SyncState& state() { return state_; }

 private:
  explicit Outbox(SyncState state) : state_(std::move(state)) {}
  Result<std::vector<WireAccount>> AccountsEnrolled(std::int64_t first, std::int64_t last);
  // The batch's gift cards, the coupons its operations issued and used.
  Status AddInstruments(const Batch& batch, BatchBody& body);
  template <typename Fn>
  Status ForEachEntry(std::int64_t from, std::int64_t to, Fn fn);

  SyncState state_;
  ledger::Statement head_, unsent_at_, open_batch_, insert_batch_, close_batch_, attempt_,
      entries_, mac_at_, enrolled_, account_name_, account_cards_, gift_cards_, coupons_issued_,
      coupon_uses_, save_receipt_, save_exception_, exceptions_, exception_count_;
};

}  // namespace loyalty::sync
