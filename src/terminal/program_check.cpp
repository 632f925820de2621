// Which program is in force, and whether its file is still the one that
// was signed or accepted (docs/security.md, "Tampering").
#include <openssl/crypto.h>

#include "terminal/terminal_impl.hpp"
#include "trust/codec.hpp"

namespace loyalty {

namespace {

bool SameBytes(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Result<terminal::LoadedProgram> Terminal::Impl::ReadAcceptedProgram(
    const terminal::AcceptedProgram& record) const {
  auto bytes = terminal::ReadProgramBytes(record.path);
  if (!bytes.ok()) return bytes.status();
  // A version accepted before seals existed (sync schema 1) has none: its
  // signature was checked when it arrived, and the .sig beside it when a
  // key is pinned.
  if (!record.seal.empty() &&
      !SameBytes(record.seal,
                 terminal::SealProgram(options.terminal_key, record.version, *bytes))) {
    return Status(StatusCode::kTampered,
                  "program file '" + record.path + "' is not version " +
                      std::to_string(record.version) +
                      " as the server signed it: it was changed or replaced after it was "
                      "accepted");
  }
  if (program_key) {
    if (Status s = terminal::CheckProgramSignature(record.path, *bytes, *program_key); !s.ok()) {
      return s;
    }
  }
  return terminal::ParseProgramDocument(record.path, std::move(*bytes));
}

Status Terminal::Impl::InstallProgram(terminal::LoadedProgram loaded, const std::string& how) {
  if (!(loaded.program.currency == program.currency)) {
    return {StatusCode::kProgramInvalid,
            "currency: the new program trades in " +
                std::string(loaded.program.currency.code()) + " but this ledger in " +
                std::string(program.currency.code())};
  }
  if (Status s = RecordProgram(loaded.program, loaded.sha256_hex, how); !s.ok()) return s;
  program = std::move(loaded.program);
  zone = loaded.zone;
  program_sha256 = std::move(loaded.sha256_hex);
  program_source = std::move(loaded.path);
  return Status::Ok();
}

Status Terminal::Impl::RecordProgram(const engine::Program& recorded,
                                     const std::string& sha256_hex, const std::string& how) {
  // A read-only ledger records nothing; Open has checked the binding.
  if (options.read_only) return Status::Ok();
  auto last = ledger->LastProgram();
  if (!last.ok()) return last.status();
  if (*last && (*last)->sha256_hex == sha256_hex) return Status::Ok();
  return ledger->AppendProgram(sha256_hex, std::string(recorded.currency.code()), NowMs(),
                               "program '" + recorded.id + "' version " +
                                   std::to_string(recorded.version) + ": " + how);
}

Status Terminal::Impl::BindProgramFile(bool server_refused) {
  // The file's program is the one in force (Open has not put another).
  const std::string& path = program_source;
  const std::string& sha256_hex = program_sha256;
  auto last = ledger->LastProgram();
  if (!last.ok()) return last.status();
  auto ran_before = ledger->ProgramRecorded(sha256_hex);
  if (!ran_before.ok()) return ran_before.status();
  std::string how;
  if (!*last) {
    // The first program of a new ledger, or of one written before
    // programs were recorded: nothing to compare it with.
    how = "the first program this ledger records";
  } else if ((*last)->sha256_hex == sha256_hex) {
    return Status::Ok();
  } else if (program_key) {
    how = "changed on disk, signed by the chain's program key";
  } else if (server_refused && *ran_before) {
    how = "the server's version cannot be loaded again; back to a program this ledger ran";
  } else if (options.allow_unsigned_program_change) {
    how = "unsigned change on disk, put in force by allow_unsigned_program_change";
    Log(LogLevel::kWarning,
        "program_path '" + path + "': unsigned change on disk (SHA-256 " +
            sha256_hex + ", the ledger's entry " + std::to_string((*last)->seq) +
            " recorded " + (*last)->sha256_hex +
            ") put in force because allow_unsigned_program_change is set");
  } else {
    return {StatusCode::kTampered,
            "program_path '" + path + "': unsigned change on disk: its SHA-256 " +
                sha256_hex.substr(0, 16) + "... is not the program last in force in " +
                "this ledger (entry " + std::to_string((*last)->seq) + ", " +
                (*last)->sha256_hex.substr(0, 16) +
                "...); sign it (program_public_key_pem), load it with LoadProgram, or set "
                "allow_unsigned_program_change to put it in force (logged)"};
  }
  return RecordProgram(program, sha256_hex, how);
}

Status Terminal::Impl::CheckProgramBinding() const {
  auto last = ledger->LastProgram();
  if (!last.ok()) return last.status();
  // None on a ledger opened read-only before its first program entry.
  if (!*last) return Status::Ok();
  if ((*last)->sha256_hex != program_sha256) {
    return {StatusCode::kTampered,
            "the program in force (SHA-256 " + program_sha256.substr(0, 16) +
                "...) is not the last program this ledger recorded (entry " +
                std::to_string((*last)->seq) + ")"};
  }
  auto bytes = terminal::ReadProgramBytes(program_source);
  if (!bytes.ok()) {
    return {StatusCode::kTampered, "program file '" + program_source +
                                       "' in force cannot be read: " + bytes.status().message()};
  }
  if (const std::string now = trust::ToHex(trust::Sha256(*bytes)); now != program_sha256) {
    return {StatusCode::kTampered,
            "program file '" + program_source + "' changed on disk since it went in force: " +
                "SHA-256 " + now.substr(0, 16) + "... but the ledger's entry " +
                std::to_string((*last)->seq) + " recorded " + program_sha256.substr(0, 16) +
                "..."};
  }
  return Status::Ok();
}

Status Terminal::Impl::CheckProgramFiles() const {
  if (program_key) {
    auto bytes = terminal::ReadProgramBytes(options.program_path);
    if (!bytes.ok()) return bytes.status();
    if (Status s = terminal::CheckProgramSignature(options.program_path, *bytes, *program_key);
        !s.ok()) {
      return s;
    }
  }
  if (!chain) return Status::Ok();
  // The newest accepted version is the one a restart puts in force; older
  // ones are history.
  auto newest = chain->NewestProgram();
  if (!newest.ok()) return newest.status();
  if (!*newest) return Status::Ok();
  auto read = ReadAcceptedProgram(**newest);
  if (!read.ok() && read.status().code() == StatusCode::kTampered) return read.status();
  return Status::Ok();
}

}  // namespace loyalty
