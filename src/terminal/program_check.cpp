// Which program is in force, and whether its file is still the one that
// was signed or accepted (docs/security.md, "Tampering").
#include <openssl/crypto.h>

#include "terminal/terminal_impl.hpp"

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

Status Terminal::Impl::InstallProgram(terminal::LoadedProgram loaded) {
  if (!(loaded.program.currency == program.currency)) {
    return {StatusCode::kProgramInvalid,
            "currency: the new program trades in " +
                std::string(loaded.program.currency.code()) + " but this ledger in " +
                std::string(program.currency.code())};
  }
  program = std::move(loaded.program);
  zone = loaded.zone;
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
