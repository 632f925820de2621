// Sync: ships this till's ledger to the chain's central server in batches,
// exactly once, and brings back authoritative balances, program versions,
// the hotlist of blocked cards and offline limits. The wire protocol is
// docs/sync-protocol.md.
//
// Checkout never waits for the network: Sync reads the ledger and writes its
// own tables in short SQLite transactions and holds no Terminal lock while a
// request is on the wire.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/card.hpp"
#include "loyalty/env.hpp"
#include "loyalty/status.hpp"

namespace loyalty {

class Terminal;

// One HTTP exchange, as the Transport sees it.
struct HttpRequest {
  std::string method;  // "GET" or "POST"
  std::string target;  // path and query, e.g. "/v1/terminals/T1/changes?cursor=5"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

// How requests reach the server. The default is libcurl over OpenSSL with
// the TLS settings of SyncOptions; tests inject fakes.
class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request and waits for the whole response. Returns a response
  // for any HTTP status; a Status when no complete response arrived:
  // kNetworkError, kTimeout, kTlsRefused (the message says which check), or
  // kCancelled once Cancel() was called. Called from one thread at a time.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
  // Makes the Send in progress, and every later one, return kCancelled
  // promptly. Any thread, any time.
  virtual void Cancel() = 0;
  // Undoes Cancel() (Sync::Start calls it).
  virtual void Resume() = 0;
};

// Every knob of Sync, each with its default.
struct SyncOptions {
  // --- the server and TLS ---------------------------------------------------
  std::string server_url;           // required: "https://host[:port]"; https only
  std::string ca_file;              // PEM CAs to verify the server; empty: system store
  std::string ca_pem;               // or the PEM text itself (wins over ca_file)
  std::string pinned_public_key;    // "sha256//<b64>[;sha256//<b64>]"; empty: no pin
  std::string client_cert_file;     // mutual TLS: PEM certificate ...
  std::string client_key_file;      // ... and its key; empty: no client cert
  std::string client_cert_pem;      // or the PEM texts (win over the files)
  std::string client_key_pem;
  std::string proxy;                // "" : no proxy (environment variables ignored)
  std::chrono::milliseconds connect_timeout{10'000};  // TCP + TLS handshake
  std::chrono::milliseconds request_timeout{60'000};  // one whole request
  long low_speed_bytes_per_s = 100;                   // slower than this ...
  std::chrono::seconds low_speed_time{15};            // ... for this long: give up
  std::size_t max_response_bytes = 16 << 20;          // larger answers are refused

  // --- what the till trusts ---------------------------------------------------
  std::string receipt_public_key_pem;  // the server's Ed25519 receipt key;
                                       // empty: receipts stored unverified
  std::string program_public_key_pem;  // the chain's Ed25519 program key;
                                       // empty: programs from the server refused
  std::string program_dir;             // where accepted programs are written;
                                       // empty: beside the ledger file

  // --- batches and pacing -----------------------------------------------------
  int max_batch_entries = 500;                        // cut a batch at this many
  std::size_t max_batch_bytes = 256 << 10;            // or this many body bytes
  std::chrono::milliseconds max_batch_age{2'000};     // or when the oldest unsent
                                                      // entry is this old
  int pull_page_size = 500;                           // changes per pull page
  std::chrono::milliseconds poll_interval{30'000};    // idle time between rounds
  std::chrono::milliseconds backoff_base{1'000};      // first retry within this
  std::chrono::milliseconds backoff_cap{300'000};     // retries never wait longer
  std::chrono::milliseconds offline_after{3'600'000}; // offline limits apply after
                                                      // this long without a sync
                                                      // (the server's policy wins)

  // --- the world ----------------------------------------------------------------
  const Clock* clock = nullptr;    // nullptr: the Terminal's clock; not owned
  Transport* transport = nullptr;  // nullptr: libcurl; not owned
  // Uniform in [0, 1) for backoff jitter; nullptr: a private std::mt19937_64.
  std::function<double()> random;
  LogFn log;                       // nullptr: the Terminal's log
};

// An entry the server did not simply apply: kept in the ledger, reported.
struct SyncException {
  std::int64_t seq = 0;
  std::string status;  // duplicate, applied_flagged, rejected, conflict
  std::string reason;  // e.g. balance_negative, bad_mac
  std::string batch_id;
  Timestamp at{};      // when the server said so
};

struct SyncStatus {
  bool running = false;                  // the background thread is on
  std::optional<Timestamp> last_success; // last round that pushed and pulled all
  std::optional<Timestamp> last_attempt;
  std::int64_t head_seq = 0;             // newest entry in the ledger
  std::int64_t acked_seq = 0;            // server holds every entry up to here
  std::int64_t backlog = 0;              // head_seq - acked_seq
  Status last_error;                     // OK after a success
  int consecutive_failures = 0;
  std::optional<Timestamp> next_attempt; // when the next try is due
  std::int64_t exceptions = 0;           // entries flagged, rejected or in conflict
  std::int64_t program_version = 0;      // newest program accepted from the server
  std::chrono::milliseconds clock_offset{0};  // server time - local time
  bool halted = false;                   // a fork was found: pushing stopped
};

// Called after each acknowledged batch: entries acked so far and the head.
using SyncProgressFn = std::function<void(std::int64_t acked_seq, std::int64_t head_seq)>;

// Thread-safety: every method may be called from any thread. Rounds never
// overlap: a PumpOnce() while the background thread is mid-round waits for
// it. The Terminal must outlive the Sync; one Sync per Terminal at a time.
// Once a ledger has synced, its Terminal (with or without a live Sync,
// after a restart too) refuses hotlisted cards, caps offline redemptions,
// shows balances as the server's snapshot plus its own unsynced entries,
// and keeps the newest program accepted from the server in force.
class Sync {
 public:
  // Creates the sync tables in the Terminal's ledger file (or migrates
  // them) and checks the options. kInvalidArgument names a bad option.
  static Result<std::unique_ptr<Sync>> Create(Terminal& terminal, SyncOptions options);
  ~Sync();  // Stop()s
  Sync(const Sync&) = delete;
  Sync& operator=(const Sync&) = delete;

  // Runs rounds on a thread of its own until Stop(): push what is due, pull,
  // then wait poll_interval (or the backoff after a failure). SIGPIPE is
  // blocked on that thread. kInvalidArgument when already running.
  Status Start();
  // Stops the thread; returns within about a second even if a request is
  // blackholed (the request is abandoned: its batch is resent later).
  void Stop();

  // For POS loops that prefer no thread: does what is due now (at most one
  // request per call) and returns. OK when nothing was due or the step
  // worked; the step's error otherwise (also kept in status()).
  Status PumpOnce();
  // One full round now, ignoring backoff: pushes every entry (batch after
  // batch) then pulls every page. The first error ends it.
  Status SyncNow();

  SyncStatus status() const;
  // Entries the server flagged, rejected or found in conflict, oldest first.
  Result<std::vector<SyncException>> Exceptions() const;
  // Called after each acknowledged batch (from the syncing thread).
  void SetProgress(SyncProgressFn progress);

  // The path of the newest program accepted from the server (empty when
  // none): pass it as Options::program_path when reopening the Terminal.
  std::string program_path() const;

 private:
  struct Impl;
  explicit Sync(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace loyalty
