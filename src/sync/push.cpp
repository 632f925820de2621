// Push (docs/sync-protocol.md §3): one batch per step. The batch is stored
// before its first send and resent unchanged until answered, so a retry
// after a timeout, a reset or a power cut is the same batch to the server.
#include <optional>
#include <string>

#include "sync/sync_impl.hpp"
#include "sync/wire.hpp"
#include "trust/codec.hpp"

namespace loyalty {

namespace {
// What a fork's message says after "fork at seq N: ...".
constexpr char kForkHelp[] =
    "; pushing stays stopped, also after a restart, until an operator compares this ledger "
    "with the server's copy (docs/sync-protocol.md 3.6)";

SyncFailure Unreadable(const std::string& what) {
  return {Status(StatusCode::kNetworkError, what + ": nothing acknowledged, will resend"),
          std::chrono::milliseconds(0), false};
}
}  // namespace

StepResult Sync::Impl::PushStep(bool force) {
  sync::Batch batch;
  std::string body;
  int limit = 0;
  {
    std::lock_guard<std::mutex> guard(state_mutex);
    if (halted) {
      return SyncFailure{Status(StatusCode::kSyncFork, "pushing stopped: " + halted_reason),
                         std::chrono::milliseconds(0), true};
    }
    limit = max_entries;
  }
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    ledger::Transaction tx(link.ledger().database());
    if (!tx.begun().ok()) return SyncFailure{tx.begun()};
    auto open = outbox->OpenBatch();
    if (!open.ok()) return SyncFailure{open.status()};
    if (*open) {
      batch = **open;
    } else {
      auto head = outbox->HeadSeq();
      if (!head.ok()) return SyncFailure{head.status()};
      auto acked = outbox->AckedSeq();
      if (!acked.ok()) return SyncFailure{acked.status()};
      if (*head <= *acked) return SyncStep::kIdle;
      if (!force && *head - *acked < limit) {
        // Cut by count above, by age here (bytes cut inside CutBatch).
        auto oldest = outbox->OldestUnsentAt();
        if (!oldest.ok()) return SyncFailure{oldest.status()};
        if (*oldest && NowMs() - **oldest < options.max_batch_age.count()) {
          return SyncStep::kIdle;
        }
      }
      const std::string id =
          terminal_id + "-" + std::to_string(*acked + 1) + "-" + trust::RandomHex(16);
      auto cut = outbox->CutBatch(id, {limit, options.max_batch_bytes}, NowMs());
      if (!cut.ok()) return SyncFailure{cut.status()};
      if (!*cut) return SyncStep::kIdle;
      batch = **cut;
    }
    if (Status s = outbox->CountAttempt(batch); !s.ok()) return SyncFailure{s};
    auto built = outbox->Body(terminal_id, batch);
    if (!built.ok()) return SyncFailure{built.status()};
    body = std::move(*built);
    // The batch is durable before a byte of it leaves the till.
    if (Status s = tx.Commit(); !s.ok()) return SyncFailure{s};
  }

  HttpRequest request;
  request.method = "POST";
  request.target = "/v1/terminals/" + terminal_id + "/batches";
  request.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", batch.batch_id}};
  request.body = std::move(body);
  std::string nonce;
  auto response = Exchange(std::move(request), nonce);
  if (!response.ok()) return SyncFailure{response.status()};
  const bool is_signed = signer->VerifyResponse(*response, nonce);
  const std::string what = "batch " + batch.batch_id;

  if (response->status == 409 || response->status == 413) {
    auto error = sync::ParseErrorAnswer(response->body);
    if (!is_signed || !error.ok()) return Refusal(*response, is_signed, what);
    const std::int64_t now = NowMs();
    if (error->error == "seq_gap" && error->expected_seq) {
      // The server lost entries (a restore from backup): send again from
      // where it stands. Resending is harmless: it deduplicates by seq.
      std::lock_guard<std::mutex> guard(link.mutex());
      ledger::Transaction tx(link.ledger().database());
      if (!tx.begun().ok()) return SyncFailure{tx.begun()};
      if (Status s = outbox->CloseBatch(batch, "abandoned", now); !s.ok()) return SyncFailure{s};
      if (Status s = outbox->SetAckedSeq(std::max<std::int64_t>(0, *error->expected_seq - 1));
          !s.ok()) {
        return SyncFailure{s};
      }
      if (Status s = MarkContact(now); !s.ok()) return SyncFailure{s};
      if (Status s = tx.Commit(); !s.ok()) return SyncFailure{s};
      if (options.log) {
        options.log(LogLevel::kWarning, "sync: the server expects seq " +
                                            std::to_string(*error->expected_seq) +
                                            ": sending again from there");
      }
      return SyncStep::kProgress;
    }
    if (error->error == "chain_mismatch") {
      const std::string fork = "fork at seq " + std::to_string(batch.first_seq) +
                               ": the server's chain does not continue into " + what + " (" +
                               error->reason + "): this ledger and the server's copy differ" +
                               kForkHelp;
      Halt(fork);
      return SyncFailure{Status(StatusCode::kSyncFork, "pushing stopped: " + fork),
                         std::chrono::milliseconds(0), true};
    }
    if (response->status == 413) {
      std::lock_guard<std::mutex> tguard(link.mutex());
      if (Status s = outbox->CloseBatch(batch, "abandoned", now); !s.ok()) return SyncFailure{s};
      std::lock_guard<std::mutex> guard(state_mutex);
      max_entries = std::max(1, std::min(max_entries, static_cast<int>(batch.last_seq -
                                                                       batch.first_seq + 1)) / 2);
      return SyncStep::kProgress;
    }
    return Refusal(*response, is_signed, what);
  }
  if (response->status != 200) return Refusal(*response, is_signed, what);
  if (!is_signed) return Unreadable(what + ": the answer is not signed by the server");
  auto answer = sync::ParsePushAnswer(response->body);
  if (!answer.ok()) return Unreadable(what + ": " + answer.status().message());
  if (answer->batch_id != batch.batch_id) {
    return Unreadable(what + ": the answer is for batch " + answer->batch_id);
  }
  if (answer->receipt && receipt_key &&
      !receipt_key->Verify(sync::ReceiptMessage(*answer->receipt), answer->receipt->signature)) {
    return SyncFailure{Status(StatusCode::kKeyMismatch,
                              what + ": the server's receipt does not verify under "
                                     "SyncOptions::receipt_public_key_pem: set it to the "
                                     "server's receipt public key; nothing acknowledged, will "
                                     "resend"),
                       std::chrono::milliseconds(0), false};
  }

  const std::int64_t now = NowMs();
  // A receipt for another history than this ledger's: the server's head
  // differs from ours at that seq, so the fork is there or before.
  std::optional<std::int64_t> receipt_differs;
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    ledger::Transaction tx(link.ledger().database());
    if (!tx.begun().ok()) return SyncFailure{tx.begun()};
    if (answer->receipt) {
      auto own = outbox->MacAt(answer->receipt->seq);
      if (!own.ok() || !ledger::SameMac(*own, answer->receipt->mac)) {
        receipt_differs = answer->receipt->seq;
      } else if (Status s = outbox->SaveReceipt(*answer->receipt, receipt_key.has_value(),
                                                batch.batch_id);
                 !s.ok()) {
        return SyncFailure{s};
      }
    }
    auto acked = outbox->AckedSeq();
    if (!acked.ok()) return SyncFailure{acked.status()};
    const std::int64_t through = std::min(answer->acked_through_seq, batch.last_seq);
    if (through > *acked) {
      if (Status s = outbox->SetAckedSeq(through); !s.ok()) return SyncFailure{s};
    }
    if (Status s = outbox->CloseBatch(batch, "acked", now); !s.ok()) return SyncFailure{s};
    for (const sync::EntryResult& result : answer->results) {
      if (result.status == "duplicate") continue;  // the server had it: nothing to see
      if (Status s = outbox->SaveException(result, batch.batch_id, now); !s.ok()) {
        return SyncFailure{s};
      }
    }
    for (const sync::BalanceSnapshot& balance : answer->balances) {
      if (Status s = snapshots->SaveBalance(balance, now); !s.ok()) return SyncFailure{s};
    }
    if (Status s = MarkContact(now); !s.ok()) return SyncFailure{s};
    if (Status s = tx.Commit(); !s.ok()) return SyncFailure{s};
  }
  {
    std::lock_guard<std::mutex> guard(state_mutex);
    last_success = clock->Now();
  }
  if (receipt_differs || answer->halted) {
    // The server names the first seq it holds with other content when it
    // halts; that is where the two histories part.
    std::optional<std::int64_t> conflict;
    for (const sync::EntryResult& result : answer->results) {
      if (result.status == "conflict") {
        conflict = result.seq;
        break;
      }
    }
    std::string fork;
    if (conflict || answer->halted) {
      fork = "fork at seq " + std::to_string(conflict.value_or(answer->acked_through_seq + 1)) +
             " (" + what + "): the server holds that seq with other content";
    } else {
      fork = "fork at seq " + std::to_string(*receipt_differs) +
             " or before (" + what + "): the server signed its copy of seq " +
             std::to_string(*receipt_differs) + " with another mac than this ledger's";
    }
    fork += kForkHelp;
    Halt(fork);
    return SyncFailure{Status(StatusCode::kSyncFork, "pushing stopped: " + fork),
                       std::chrono::milliseconds(0), true};
  }
  SyncProgressFn notify;
  {
    std::lock_guard<std::mutex> guard(state_mutex);
    notify = progress;
  }
  if (notify) {
    std::int64_t head = 0;
    {
      std::lock_guard<std::mutex> guard(link.mutex());
      auto h = outbox->HeadSeq();
      head = h.ok() ? *h : 0;
    }
    notify(std::min(answer->acked_through_seq, batch.last_seq), head);
  }
  return SyncStep::kProgress;
}

}  // namespace loyalty
