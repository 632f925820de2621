#include <algorithm>
#include <cctype>
#include <filesystem>

#include "ledger/database.hpp"
#include "sync/backoff.hpp"
#include "sync/curl_transport.hpp"
#include "sync/sigpipe_guard.hpp"
#include "sync/sync_impl.hpp"
#include "sync/wire.hpp"
#include "trust/codec.hpp"

namespace loyalty {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

namespace {

Status CheckOptions(const SyncOptions& o) {
  auto bad = [](const std::string& what) { return Status(StatusCode::kInvalidArgument, what); };
  if (o.server_url.empty()) return bad("server_url: is empty");
  if (o.server_url.rfind("https://", 0) != 0) {
    return bad("server_url: '" + o.server_url + "' is not https:// (sync never sends in clear)");
  }
  if (o.max_batch_entries < 1) return bad("max_batch_entries: must be at least 1");
  if (o.max_batch_bytes < 1024) return bad("max_batch_bytes: must be at least 1024");
  if (o.pull_page_size < 1 || o.pull_page_size > 1000) {
    return bad("pull_page_size: must be 1 to 1000");
  }
  if (o.backoff_base.count() <= 0 || o.backoff_cap < o.backoff_base) {
    return bad("backoff_base/backoff_cap: need 0 < base <= cap");
  }
  if (o.poll_interval.count() <= 0) return bad("poll_interval: must be positive");
  return Status::Ok();
}

bool Transient(int status) { return status == 429 || status == 503 || status >= 500; }

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

Sync::Sync(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Sync>> Sync::Create(Terminal& terminal, SyncOptions options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  auto impl = std::make_unique<Impl>(terminal, std::move(options));
  Impl& im = *impl;
  terminal::ChainLink& link = im.link;
  SyncOptions& o = im.options;
  im.terminal_id = link.terminal_id();
  im.clock = o.clock ? o.clock : &link.clock();
  if (!o.log) o.log = link.log();
  im.max_entries = o.max_batch_entries;
  im.program_dir = o.program_dir.empty()
                       ? std::filesystem::path(link.database_path()).parent_path().string()
                       : o.program_dir;
  if (im.program_dir.empty()) im.program_dir = ".";
  if (o.transport) {
    im.transport = o.transport;
  } else {
    auto transport = sync::MakeCurlTransport(o);
    if (!transport.ok()) return transport.status();
    im.owned_transport = std::move(*transport);
    im.transport = im.owned_transport.get();
  }
  if (!o.receipt_public_key_pem.empty()) {
    auto key = trust::Ed25519Verifier::FromPem(o.receipt_public_key_pem, "receipt_public_key_pem");
    if (!key.ok()) return key.status();
    im.receipt_key = std::move(*key);
  }
  if (!o.program_public_key_pem.empty()) {
    auto key = trust::Ed25519Verifier::FromPem(o.program_public_key_pem, "program_public_key_pem");
    if (!key.ok()) return key.status();
    im.program_key = std::move(*key);
  }
  im.signer = std::make_unique<sync::RequestSigner>(im.terminal_id, link.terminal_key());

  std::optional<sync::ProgramRecord> newest_loaded;
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    if (link.sync_attached()) {
      return Status(StatusCode::kInvalidArgument, "terminal: already has a Sync attached");
    }
    // From now on the Terminal keeps the chain sync keeps for its life: the
    // one it opened on a ledger that had synced, or one made here.
    if (link.chain() == nullptr) {
      auto made = sync::LocalChain::Open(link.ledger());
      if (!made.ok()) return made.status();
      link.InstallChain(std::move(*made));
    }
    im.local = dynamic_cast<sync::LocalChain*>(link.chain());
    if (im.local == nullptr) {
      return Status(StatusCode::kInternal, "terminal: its chain was not made by sync");
    }
    auto outbox = sync::Outbox::Prepare(link.ledger().database());
    if (!outbox.ok()) return outbox.status();
    im.outbox = std::move(*outbox);
    im.snapshots = im.local->snapshots.get();
    im.local->policy->SetDefaultOfflineAfter(o.offline_after);
    sync::SyncState& state = im.outbox->state();
    auto offset = state.Int(sync::kClockOffset);
    if (!offset.ok()) return offset.status();
    im.clock_offset = milliseconds(offset->value_or(0));
    auto halted = state.Text(sync::kHalted);
    if (!halted.ok()) return halted.status();
    if (*halted) {
      im.halted = true;
      im.halted_reason = **halted;
      im.last_error = Status(StatusCode::kSyncFork, **halted);
    }
    auto last = state.Int(sync::kLastSuccess);
    if (!last.ok()) return last.status();
    if (*last) im.last_success = Timestamp(milliseconds(**last));
    auto loaded = im.snapshots->NewestProgram("loaded");
    if (!loaded.ok()) return loaded.status();
    newest_loaded = *loaded;
    link.set_sync_attached(true);
  }
  std::unique_ptr<Sync> sync(new Sync(std::move(impl)));
  // A program accepted before a restart stays in force after it.
  if (newest_loaded && newest_loaded->version > terminal.program().version) {
    Status s = Status::Ok();
    {
      std::lock_guard<std::mutex> guard(link.mutex());
      s = link.LoadAcceptedProgram(sync::Accepted(*newest_loaded));
    }
    if (s.ok()) {
      im.program_version = newest_loaded->version;
    } else if (o.log) {
      o.log(LogLevel::kWarning, "sync: program version " +
                                    std::to_string(newest_loaded->version) +
                                    " could not be loaded again: " + s.message());
    }
  } else if (newest_loaded) {
    im.program_version = newest_loaded->version;
  }
  return sync;
}

Sync::~Sync() {
  Stop();
  std::lock_guard<std::mutex> guard(impl_->link.mutex());
  // The chain stays: the Terminal keeps honouring what the server said.
  impl_->link.set_sync_attached(false);
  impl_->outbox.reset();  // its statements go before the ledger does
}

double Sync::Impl::Uniform01() {
  if (options.random) return options.random();
  std::lock_guard<std::mutex> guard(state_mutex);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

Result<HttpResponse> Sync::Impl::Exchange(HttpRequest request, std::string& nonce) {
  const HttpRequest unsigned_request = request;
  for (int attempt = 0;; ++attempt) {
    milliseconds offset;
    {
      std::lock_guard<std::mutex> guard(state_mutex);
      offset = clock_offset;
    }
    request = unsigned_request;
    nonce = trust::RandomHex(16);
    const std::int64_t sent = NowMs();
    signer->Sign(request, sent + offset.count(), nonce);
    auto response = transport->Send(request);
    if (!response.ok()) return response;
    if (attempt > 0 || response->status != 401 || !signer->VerifyResponse(*response, nonce)) {
      return response;
    }
    auto error = sync::ParseErrorAnswer(response->body);
    if (!error.ok() || error->error != "clock_skew" || !error->server_time) return response;
    // The server's time at the middle of the round trip.
    const std::int64_t received = NowMs();
    const milliseconds fixed(*error->server_time - (sent + received) / 2);
    {
      std::lock_guard<std::mutex> guard(state_mutex);
      clock_offset = fixed;
    }
    {
      std::lock_guard<std::mutex> guard(link.mutex());
      (void)outbox->state().SetInt(sync::kClockOffset, fixed.count());
    }
    if (options.log) {
      options.log(LogLevel::kWarning, "sync: this till's clock is " +
                                          std::to_string(-fixed.count()) +
                                          " ms off the server's; signing with the server's time");
    }
  }
}

SyncFailure Sync::Impl::Refusal(const HttpResponse& response, bool is_signed,
                                const std::string& what) {
  SyncFailure f;
  std::string code;
  std::string reason;
  if (auto error = sync::ParseErrorAnswer(response.body); error.ok()) {
    code = error->error;
    reason = error->reason;
  }
  const std::string said =
      what + ": HTTP " + std::to_string(response.status) +
      (code.empty() ? std::string() : " " + code) + (reason.empty() ? "" : " (" + reason + ")");
  if (auto wait = sync::ParseRetryAfter(response.Header("retry-after"), clock->Now())) {
    f.retry_after = *wait;
  }
  if (Transient(response.status) || (response.status == 409 && code == "in_progress")) {
    f.status = Status(response.status == 429 || response.status == 503
                          ? StatusCode::kServerRefused
                          : StatusCode::kNetworkError,
                      said + ": will retry");
    return f;
  }
  if (!is_signed) {
    // Anyone on the path can forge an unsigned refusal: not a verdict, so
    // retried. But the two answers a server gives unsigned to a till it
    // holds no (or another) key for are most likely a till set up wrong:
    // say which option.
    if (response.status == 401 && code == "unknown_terminal") {
      f.status = Status(StatusCode::kUnknownTerminal,
                        said + ": the server has no terminal '" + terminal_id +
                            "': register it there (loyalty-server add-terminal) or correct "
                            "Options::terminal_id; will retry");
      return f;
    }
    if (response.status == 401 && code == "bad_signature") {
      f.status = Status(StatusCode::kKeyMismatch,
                        said + ": the server holds another key for terminal '" + terminal_id +
                            "' (its answer is not signed with this till's): make "
                            "Options::terminal_key the key registered there; will retry");
      return f;
    }
    f.status = Status(StatusCode::kNetworkError, said + ", not signed by the server: will retry");
    return f;
  }
  f.status = Status(StatusCode::kServerRefused, said);
  f.permanent = true;
  return f;
}

Status Sync::Impl::MarkContact(std::int64_t now_ms) {
  return outbox->state().SetInt(sync::kLastSuccess, now_ms);
}

void Sync::Impl::NoteSuccess(Timestamp at) {
  std::lock_guard<std::mutex> guard(state_mutex);
  last_success = at;
  if (!halted) last_error = Status::Ok();
  consecutive_failures = 0;
  retry_at = {};
}

void Sync::Impl::NoteFailure(const SyncFailure& failure) {
  const double u = Uniform01();
  std::lock_guard<std::mutex> guard(state_mutex);
  last_error = failure.status;
  if (failure.status.code() == StatusCode::kCancelled) return;
  ++consecutive_failures;
  milliseconds delay = failure.permanent
                           ? options.backoff_cap
                           : sync::BackoffDelay(consecutive_failures, options.backoff_base,
                                                options.backoff_cap, u);
  delay = std::max(delay, failure.retry_after);
  retry_at = SteadyClock::now() + delay;
  if (options.log) {
    options.log(LogLevel::kWarning, "sync: " + failure.status.message() + " (next try in " +
                                        std::to_string(delay.count()) + " ms)");
  }
}

void Sync::Impl::Halt(const std::string& reason) {
  {
    std::lock_guard<std::mutex> guard(link.mutex());
    (void)outbox->state().SetText(sync::kHalted, reason);
  }
  std::lock_guard<std::mutex> guard(state_mutex);
  halted = true;
  halted_reason = reason;
  last_error = Status(StatusCode::kSyncFork, reason);
  if (options.log) options.log(LogLevel::kError, "sync: pushing stopped: " + reason);
}

Status Sync::PumpOnce() {
  Impl& im = *impl_;
  sync::SigpipeGuard no_sigpipe;
  std::lock_guard<std::mutex> round(im.round_mutex);
  bool pull_due = false;
  {
    std::lock_guard<std::mutex> guard(im.state_mutex);
    const auto now = SteadyClock::now();
    if (now < im.retry_at) return Status::Ok();
    pull_due = now >= im.pull_due;
    im.last_attempt = im.clock->Now();
  }
  StepResult step = im.PushStep(/*force=*/false);
  if (auto* idle = std::get_if<SyncStep>(&step); idle && *idle == SyncStep::kIdle && pull_due) {
    step = im.PullStep();
    if (auto* done = std::get_if<SyncStep>(&step); done && *done == SyncStep::kIdle) {
      std::lock_guard<std::mutex> guard(im.state_mutex);
      im.pull_due = SteadyClock::now() + im.options.poll_interval;
    }
  }
  if (auto* failure = std::get_if<SyncFailure>(&step)) {
    im.NoteFailure(*failure);
    return failure->status;
  }
  return Status::Ok();
}

Status Sync::SyncNow() {
  Impl& im = *impl_;
  sync::SigpipeGuard no_sigpipe;
  std::lock_guard<std::mutex> round(im.round_mutex);
  {
    std::lock_guard<std::mutex> guard(im.state_mutex);
    im.last_attempt = im.clock->Now();
  }
  for (bool pushing = true, pulling = true; pushing || pulling;) {
    StepResult step = pushing ? im.PushStep(/*force=*/true) : im.PullStep();
    if (auto* failure = std::get_if<SyncFailure>(&step)) {
      im.NoteFailure(*failure);
      return failure->status;
    }
    if (std::get<SyncStep>(step) == SyncStep::kIdle) (pushing ? pushing : pulling) = false;
  }
  {
    std::lock_guard<std::mutex> guard(im.state_mutex);
    im.pull_due = SteadyClock::now() + im.options.poll_interval;
  }
  im.NoteSuccess(im.clock->Now());
  return Status::Ok();
}

void Sync::Impl::Loop() {
  sync::SigpipeGuard no_sigpipe;
  // Wakes often enough to cut a batch when max_batch_age passes.
  const milliseconds tick = std::clamp(options.max_batch_age, milliseconds(50),
                                       std::min(options.poll_interval, milliseconds(1000)));
  for (;;) {
    {
      std::unique_lock<std::mutex> guard(state_mutex);
      if (stop_requested) return;
    }
    bool progressed = false;
    {
      std::lock_guard<std::mutex> round(round_mutex);
      bool due = false;
      bool pull = false;
      {
        std::lock_guard<std::mutex> guard(state_mutex);
        const auto now = SteadyClock::now();
        due = now >= retry_at;
        pull = now >= pull_due;
        if (due) last_attempt = clock->Now();
      }
      if (due) {
        StepResult step = PushStep(/*force=*/pull);
        if (auto* s = std::get_if<SyncStep>(&step); s && *s == SyncStep::kIdle && pull) {
          step = PullStep();
          if (auto* p = std::get_if<SyncStep>(&step); p && *p == SyncStep::kIdle) {
            std::lock_guard<std::mutex> guard(state_mutex);
            pull_due = SteadyClock::now() + options.poll_interval;
          }
        }
        if (auto* failure = std::get_if<SyncFailure>(&step)) {
          NoteFailure(*failure);
        } else {
          progressed = std::get<SyncStep>(step) == SyncStep::kProgress;
          if (!progressed && pull) NoteSuccess(clock->Now());
        }
      }
    }
    if (progressed) continue;  // more may be due at once: a backlog drains batch after batch
    std::unique_lock<std::mutex> guard(state_mutex);
    auto until = SteadyClock::now() + tick;
    if (retry_at > SteadyClock::now()) until = std::min(until + tick, retry_at);
    wake.wait_until(guard, until, [this] { return stop_requested; });
  }
}

Status Sync::Start() {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.state_mutex);
  if (im.running) return {StatusCode::kInvalidArgument, "sync: already running"};
  im.transport->Resume();
  im.stop_requested = false;
  im.running = true;
  im.thread = std::thread([&im] { im.Loop(); });
  return Status::Ok();
}

void Sync::Stop() {
  Impl& im = *impl_;
  {
    std::lock_guard<std::mutex> guard(im.state_mutex);
    if (!im.running) return;
    im.stop_requested = true;
  }
  im.transport->Cancel();
  im.wake.notify_all();
  im.thread.join();
  std::lock_guard<std::mutex> guard(im.state_mutex);
  im.running = false;
  im.transport->Resume();  // PumpOnce and SyncNow work again
}

SyncStatus Sync::status() const {
  const Impl& im = *impl_;
  SyncStatus st;
  {
    std::lock_guard<std::mutex> guard(im.link.mutex());
    auto head = im.outbox->HeadSeq();
    auto acked = im.outbox->AckedSeq();
    auto exceptions = im.outbox->ExceptionCount();
    if (head.ok()) st.head_seq = *head;
    if (acked.ok()) st.acked_seq = *acked;
    if (exceptions.ok()) st.exceptions = *exceptions;
  }
  st.backlog = std::max<std::int64_t>(0, st.head_seq - st.acked_seq);
  std::lock_guard<std::mutex> guard(im.state_mutex);
  st.running = im.running;
  st.last_success = im.last_success;
  st.last_attempt = im.last_attempt;
  st.last_error = im.last_error;
  st.consecutive_failures = im.consecutive_failures;
  const auto now = SteadyClock::now();
  if (im.retry_at > now) {
    st.next_attempt = im.clock->Now() + std::chrono::duration_cast<milliseconds>(im.retry_at - now);
  }
  st.program_version = im.program_version;
  st.clock_offset = im.clock_offset;
  st.halted = im.halted;
  return st;
}

Result<std::vector<SyncException>> Sync::Exceptions() const {
  std::lock_guard<std::mutex> guard(impl_->link.mutex());
  return impl_->outbox->Exceptions();
}

void Sync::SetProgress(SyncProgressFn progress) {
  std::lock_guard<std::mutex> guard(impl_->state_mutex);
  impl_->progress = std::move(progress);
}

std::string Sync::program_path() const {
  std::lock_guard<std::mutex> guard(impl_->link.mutex());
  auto loaded = impl_->snapshots->NewestProgram("loaded");
  return loaded.ok() && *loaded ? (*loaded)->path : std::string();
}

}  // namespace loyalty
