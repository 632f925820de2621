// Pull (docs/sync-protocol.md §4): one page of changes per step, applied
// with its cursor in one SQLite transaction, so a crash leaves both or
// neither.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sync/sync_impl.hpp"
#include "sync/wire.hpp"
#include "trust/codec.hpp"
#include "trust/program_message.hpp"

namespace loyalty {

namespace {

// The cursor is opaque: send it back exactly, escaped for a query.
std::string QueryEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0f]);
    }
  }
  return out;
}

// Writes `bytes` to `path` whole or not at all (a rename is atomic).
Status WriteWhole(const std::string& path, const std::string& bytes) {
  const std::string temp = path + ".part";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.flush();
    if (!out) return {StatusCode::kIoError, "sync: cannot write " + temp};
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return {StatusCode::kIoError, "sync: cannot rename " + temp + ": " + ec.message()};
  return Status::Ok();
}

// Writes the document next to the ledger under a name of its version, with
// the server's signature beside it, so the file can be checked on its own
// (terminal/program_file.hpp).
Result<std::string> WriteProgram(const std::string& dir, std::int64_t version,
                                 const std::string& document, const std::string& signature) {
  const std::string path =
      (std::filesystem::path(dir) / ("program-v" + std::to_string(version) + ".json")).string();
  if (Status s = WriteWhole(trust::SignatureFileFor(path), trust::ToBase64(signature) + "\n");
      !s.ok()) {
    return s;
  }
  if (Status s = WriteWhole(path, document); !s.ok()) return s;
  return path;
}

}  // namespace

StepResult Sync::Impl::PullStep() {
  std::string cursor;
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    auto stored = outbox->state().Text(sync::kPullCursor);
    if (!stored.ok()) return SyncFailure{stored.status()};
    cursor = stored->value_or("");
  }
  HttpRequest request;
  request.method = "GET";
  request.target = "/v1/terminals/" + terminal_id + "/changes?cursor=" + QueryEscape(cursor) +
                   "&limit=" + std::to_string(options.pull_page_size);
  std::string nonce;
  auto response = Exchange(std::move(request), nonce);
  if (!response.ok()) return SyncFailure{response.status()};
  const bool is_signed = signer->VerifyResponse(*response, nonce);
  if (response->status != 200) return Refusal(*response, is_signed, "changes");
  if (!is_signed) {
    return SyncFailure{Status(StatusCode::kNetworkError,
                              "changes: the answer is not signed by the server: ignored")};
  }
  auto page = sync::ParseChangesPage(response->body);
  if (!page.ok()) {
    return SyncFailure{Status(StatusCode::kNetworkError, "changes: " + page.status().message())};
  }

  // Programs are checked and written before the transaction (no lock held
  // for file I/O); the record of what was decided goes in with the page.
  struct Decision {
    sync::ProgramRecord record;
    std::string reason;
  };
  std::vector<Decision> programs;
  const std::int64_t in_force = terminal.program().version;
  for (const sync::Change& change : page->changes) {
    if (change.kind != "program") continue;
    Decision d;
    d.record.version = change.version;
    if (!program_key) {
      d.record.state = "refused";
      d.reason = "no program_public_key_pem configured: programs from the server are refused";
    } else if (!program_key->Verify(trust::ProgramMessage(change.document), change.signature)) {
      d.record.state = "refused";
      d.reason = "the signature does not verify under the pinned program key";
    } else if (change.version <= in_force) {
      d.record.state = "refused";
      d.reason = "version " + std::to_string(change.version) + " is not newer than " +
                 std::to_string(in_force) + ", the one in force";
    } else {
      auto path = WriteProgram(program_dir, change.version, change.document, change.signature);
      if (!path.ok()) return SyncFailure{path.status()};
      d.record.state = "received";
      d.record.path = *path;
      d.record.seal = link.SealProgram(change.version, change.document);
    }
    if (d.record.state == "refused" && options.log) {
      options.log(LogLevel::kWarning, "sync: program version " + std::to_string(change.version) +
                                          " refused, the one in force stays: " + d.reason);
    }
    programs.push_back(std::move(d));
  }

  const std::int64_t now = NowMs();
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    ledger::Transaction tx(link.ledger().database());
    if (!tx.begun().ok()) return SyncFailure{tx.begun()};
    sync::SyncState& state = outbox->state();
    for (const sync::Change& change : page->changes) {
      Status s = Status::Ok();
      if (change.kind == "balance") {
        s = snapshots->MirrorAccount(change.balance, now);
        if (s.ok()) s = snapshots->SaveBalance(change.balance, now);
      } else if (change.kind == "hotlist") {
        s = snapshots->SaveHotlist(change.card_hash, change.state, change.version, now);
      } else if (change.kind == "stored_value") {
        s = snapshots->SaveStoredValue(change.stored_value, now);
      } else if (change.kind == "coupon") {
        s = snapshots->MergeCoupon(change.coupon);
      } else if (change.kind == "policy") {
        if (change.offline_after_ms) s = state.SetInt(sync::kOfflineAfter, *change.offline_after_ms);
        if (s.ok() && change.offline_redeem_cap) {
          s = state.SetInt(sync::kRedeemCap, *change.offline_redeem_cap);
        }
      }
      if (!s.ok()) return SyncFailure{s};
    }
    for (const Decision& d : programs) {
      if (Status s = snapshots->SaveProgram(d.record, d.reason, now); !s.ok()) {
        return SyncFailure{s};
      }
    }
    if (Status s = state.SetText(sync::kPullCursor, page->next_cursor); !s.ok()) {
      return SyncFailure{s};
    }
    if (Status s = MarkContact(now); !s.ok()) return SyncFailure{s};
    if (Status s = tx.Commit(); !s.ok()) return SyncFailure{s};
  }
  {
    std::lock_guard<std::mutex> guard(state_mutex);
    last_success = clock->Now();
  }
  // The newest accepted version goes in force; older ones of the page are
  // passed over.
  const Decision* newest = nullptr;
  for (const Decision& d : programs) {
    if (d.record.state == "received" && (!newest || d.record.version > newest->record.version)) {
      newest = &d;
    }
  }
  if (newest) LoadAcceptedProgram(newest->record);
  return page->has_more ? SyncStep::kProgress : SyncStep::kIdle;
}

void Sync::Impl::LoadAcceptedProgram(const sync::ProgramRecord& received) {
  const std::int64_t version = received.version;
  Status loaded = Status::Ok();
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    loaded = link.LoadAcceptedProgram(sync::Accepted(received));
    sync::ProgramRecord record = received;
    record.state = loaded.ok() ? "loaded" : "refused";
    (void)snapshots->SaveProgram(record, loaded.ok() ? "" : loaded.message(), NowMs());
  }
  if (loaded.ok()) {
    std::lock_guard<std::mutex> guard(state_mutex);
    program_version = version;
    if (options.log) {
      options.log(LogLevel::kInfo, "sync: program version " + std::to_string(version) +
                                       " is in force");
    }
  } else if (options.log) {
    options.log(LogLevel::kWarning, "sync: program version " + std::to_string(version) +
                                        " refused, the one in force stays: " + loaded.message());
  }
}

}  // namespace loyalty
