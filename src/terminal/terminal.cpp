// Opening a Terminal, its program, and the checks of its whole ledger.
// The operations live one idea per file beside this one (enrolment.cpp,
// lookup.cpp, sale.cpp, redemption.cpp, returns.cpp, stored_value.cpp,
// customer_events.cpp, card_admin.cpp, expire_points.cpp, ...).
#include "loyalty/terminal.hpp"

#include <sys/stat.h>

#include <mutex>
#include <optional>

#include "ledger/ledger.hpp"
#include "terminal/file_lock.hpp"
#include "terminal/terminal_impl.hpp"

namespace loyalty {

Result<std::unique_ptr<Terminal>> Terminal::Open(Options options) {
  if (options.database_path.empty()) {
    return Status(StatusCode::kInvalidArgument, "database_path: is required");
  }
  if (options.terminal_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "terminal_id: is required");
  }
  if (!options.terminal_key_file.empty()) {
    if (!options.terminal_key.empty()) {
      return Status(StatusCode::kInvalidArgument,
                    "terminal_key_file: set it or terminal_key, not both");
    }
    auto key = ReadSecretFile(options.terminal_key_file);
    if (!key.ok()) {
      return Status(key.status().code(), "terminal_key_file: " + key.status().message());
    }
    if (key->size() < 32) {
      return Status(StatusCode::kInvalidArgument,
                    "terminal_key_file '" + options.terminal_key_file + "': holds " +
                        std::to_string(key->size()) + " bytes, a key needs at least 32");
    }
    options.terminal_key = std::move(*key);
  }
  if (options.terminal_key.size() < 32) {
    return Status(StatusCode::kInvalidArgument,
                  "terminal_key: must be at least 32 bytes, got " +
                      std::to_string(options.terminal_key.size()));
  }
  if (options.program_path.empty()) {
    return Status(StatusCode::kInvalidArgument, "program_path: is required");
  }
  std::optional<trust::Ed25519Verifier> program_key;
  if (!options.program_public_key_pem.empty()) {
    auto key = trust::Ed25519Verifier::FromPem(options.program_public_key_pem,
                                              "program_public_key_pem");
    if (!key.ok()) return key.status();
    program_key = std::move(*key);
  }
  auto program = terminal::ReadProgram(options.program_path, program_key);
  if (!program.ok()) return program.status();
  if (options.ledger_must_exist) {
    struct stat st {};
    const bool missing = ::stat(options.database_path.c_str(), &st) != 0;
    if (missing || st.st_size == 0) {
      return Status(StatusCode::kTampered,
                    "database_path '" + options.database_path + "': the ledger is " +
                        (missing ? "missing" : "empty (0 bytes)") +
                        ", but its key has written entries before (ledger_must_exist): "
                        "it was wiped or replaced");
    }
  }
  auto lock = options.read_only ? terminal::FileLock::AcquireShared(options.database_path)
                                : terminal::FileLock::Acquire(options.database_path);
  if (!lock.ok()) return lock.status();
  ledger::LedgerOptions ledger_options;
  ledger_options.database.path = options.database_path;
  ledger_options.database.synchronous_full = options.synchronous_full;
  ledger_options.database.busy_timeout_ms = options.busy_timeout_ms;
  ledger_options.database.read_only = options.read_only;
  ledger_options.terminal_key = options.terminal_key;
  auto ledger = ledger::Ledger::Open(ledger_options);
  if (!ledger.ok()) return ledger.status();
  if (options.ledger_must_exist) {
    auto count = (*ledger)->EntryCount();
    if (!count.ok()) return count.status();
    if (*count == 0) {
      return Status(StatusCode::kTampered,
                    "database_path '" + options.database_path +
                        "': the ledger has no entries, but its key has written entries "
                        "before (ledger_must_exist): it was wiped or replaced");
    }
  }
  // A ledger keeps the currency it started in: a program in another would
  // book dollars as euros.
  auto currency = (*ledger)->Currency();
  if (!currency.ok()) return currency.status();
  if (!currency->empty() && *currency != program->program.currency.code()) {
    return Status(StatusCode::kCurrencyMismatch,
                  "program_path: the program trades in " +
                      std::string(program->program.currency.code()) +
                      " but this ledger's entries are in " + text::Excerpt(*currency));
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(*lock),
                                     std::move(*ledger), std::move(program->program));
  impl->zone = program->zone;
  impl->program_sha256 = program->sha256_hex;
  impl->program_source = program->path;
  impl->program_key = std::move(program_key);
  bool server_program = false;
  bool server_refused = false;
  // A ledger that has synced keeps the server's hotlist, balances, limits
  // and newest program, with or without a live Sync.
  auto chain = terminal::OpenSyncedChain(*impl->ledger);
  if (!chain.ok()) return chain.status();
  if (*chain) {
    impl->InstallChain(std::move(*chain));
    auto newest = impl->chain->NewestProgram();
    if (!newest.ok()) return newest.status();
    if (*newest && (*newest)->version > impl->program.version) {
      auto accepted = impl->ReadAcceptedProgram(**newest);
      Status installed =
          accepted.ok() ? impl->InstallProgram(std::move(*accepted),
                                               "accepted from the server, sealed on arrival")
                        : accepted.status();
      server_program = installed.ok();
      server_refused = !installed.ok();
      if (!installed.ok()) {
        impl->Log(installed.code() == StatusCode::kTampered ? LogLevel::kError
                                                            : LogLevel::kWarning,
                  "program version " + std::to_string((*newest)->version) +
                      " from the server cannot be loaded again (" + installed.message() +
                      "); " + impl->options.program_path + " stays in force");
      }
    }
  }
  // The file goes in force only as the ledger last recorded it, or signed,
  // or allowed (docs/security.md, "The program in force").
  if (!server_program) {
    if (Status s = impl->BindProgramFile(server_refused); !s.ok()) return s;
  }
  return std::unique_ptr<Terminal>(new Terminal(std::move(impl)));
}

Terminal::Terminal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Terminal::~Terminal() = default;

Status Terminal::LoadProgram(const std::string& path) {
  if (Status s = impl_->CheckWritable("LoadProgram"); !s.ok()) return s;
  auto program = terminal::ReadProgram(path, impl_->program_key);
  if (!program.ok()) {
    impl_->Log(LogLevel::kWarning, "program refused, previous stays: " +
                                       program.status().message());
    return program.status();
  }
  std::lock_guard<std::mutex> guard(impl_->mutex);
  return impl_->InstallProgram(std::move(*program), "loaded by LoadProgram");
}

ProgramInfo Terminal::program() const {
  std::lock_guard<std::mutex> guard(impl_->mutex);
  const auto& p = impl_->program;
  return {p.id, p.version, p.name, std::string(p.currency.code()), p.time_zone};
}

Result<VerifyReport> Terminal::Verify(const ProgressFn& progress) const {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> guard(im.mutex);
  auto report = im.ledger->Verify(progress);
  if (report.ok() && report->ok) {
    Status files = im.CheckProgramFiles();
    if (files.code() != StatusCode::kTampered) files = im.CheckProgramBinding();
    if (files.code() == StatusCode::kTampered) {
      report->ok = false;
      report->problem = files.message();
    } else if (!files.ok()) {
      return files;
    }
  }
  if (report.ok() && !report->ok) {
    im.Log(LogLevel::kError, "ledger verification failed: " + report->problem);
  }
  return report;
}

Status Terminal::RebuildBalances() {
  Impl& im = *impl_;
  if (Status s = im.CheckWritable("RebuildBalances"); !s.ok()) return s;
  std::lock_guard<std::mutex> guard(im.mutex);
  return im.ledger->Rebuild(im.NowMs());
}

}  // namespace loyalty
