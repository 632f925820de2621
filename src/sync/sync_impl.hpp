// The state of a Sync, shared by the files that implement it: sync.cpp
// (life cycle, thread, scheduling, status), push.cpp and pull.cpp (one
// request each). Internal: not installed.
//
// The Terminal is reached through its public API and terminal::ChainLink
// (terminal/chain.hpp), never its Impl.
//
// Locks: `link.mutex()` (the Terminal's) guards the ledger and the sync
// tables; `state_mutex` guards the figures of status(). Never take
// link.mutex() while holding state_mutex. No lock is held while a request
// is on the wire.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <variant>

#include "loyalty/sync.hpp"
#include "sync/local_chain.hpp"
#include "sync/outbox.hpp"
#include "sync/request_signer.hpp"
#include "sync/snapshots.hpp"
#include "terminal/chain.hpp"
#include "trust/ed25519.hpp"

namespace loyalty {

// What one step (one request) achieved.
enum class SyncStep {
  kIdle,      // nothing was due
  kProgress,  // the step moved something; more may be due
};

// A failed step: its status, and the least the server asked us to wait.
struct SyncFailure {
  Status status;
  std::chrono::milliseconds retry_after{0};
  bool permanent = false;  // a refusal that retrying soon will not change
};

using StepResult = std::variant<SyncStep, SyncFailure>;

struct Sync::Impl {
  Impl(Terminal& t, SyncOptions o) : terminal(t), link(t), options(std::move(o)) {}

  Terminal& terminal;
  terminal::ChainLink link;
  SyncOptions options;
  std::string terminal_id;
  std::string program_dir;
  const Clock* clock = nullptr;
  std::unique_ptr<Transport> owned_transport;
  Transport* transport = nullptr;
  std::unique_ptr<sync::RequestSigner> signer;  // used by the one running round
  std::optional<trust::Ed25519Verifier> receipt_key;
  std::optional<trust::Ed25519Verifier> program_key;

  // Under link.mutex().
  std::unique_ptr<sync::Outbox> outbox;
  sync::LocalChain* local = nullptr;     // the chain the Terminal holds
  sync::Snapshots* snapshots = nullptr;  // local->snapshots

  std::mutex round_mutex;  // one round (or pump step) at a time

  // Under state_mutex.
  mutable std::mutex state_mutex;
  std::optional<Timestamp> last_success;
  std::optional<Timestamp> last_attempt;
  Status last_error;
  int consecutive_failures = 0;
  std::chrono::steady_clock::time_point retry_at{};  // backoff: no request before
  std::chrono::steady_clock::time_point pull_due{};  // next pull
  std::chrono::milliseconds clock_offset{0};
  int max_entries = 500;  // halved by 413 answers
  bool halted = false;
  std::string halted_reason;
  std::int64_t program_version = 0;
  SyncProgressFn progress;
  std::mt19937_64 rng{std::random_device{}()};

  // The background thread.
  std::thread thread;
  std::condition_variable wake;
  bool stop_requested = false;  // under state_mutex
  bool running = false;         // under state_mutex

  std::int64_t NowMs() const { return clock->Now().time_since_epoch().count(); }
  double Uniform01();

  // Signs and sends; after a signed 401 clock_skew fixes the offset and
  // sends once more. `nonce` receives the nonce of the answered request.
  Result<HttpResponse> Exchange(HttpRequest request, std::string& nonce);
  // The failure an unexpected answer stands for (§3.6, §6).
  SyncFailure Refusal(const HttpResponse& response, bool is_signed, const std::string& what);

  // push.cpp: cuts (or resumes) one batch and sends it. `force` sends
  // what is unsent even when no cut rule is met yet.
  StepResult PushStep(bool force);
  // pull.cpp: fetches and applies one page of changes.
  StepResult PullStep();
  // Loads a program version accepted from the server (no lock held).
  // Puts a version just received in force, or records why not.
  void LoadAcceptedProgram(const sync::ProgramRecord& received);

  // Records a verified answer from the server (offline policy's clock).
  Status MarkContact(std::int64_t now_ms);  // under link.mutex(), in a transaction
  void NoteSuccess(Timestamp at);
  void NoteFailure(const SyncFailure& failure);
  void Halt(const std::string& reason);
  void Loop();
};

}  // namespace loyalty
