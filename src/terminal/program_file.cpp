#include "terminal/program_file.hpp"

#include <fstream>
#include <sstream>

#include "engine/program_parser.hpp"
#include "ledger/mac.hpp"
#include "trust/codec.hpp"
#include "trust/program_message.hpp"

namespace loyalty::terminal {

Result<std::string> ReadProgramBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(StatusCode::kIoError, "program_path: cannot read '" + path + "'");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<LoadedProgram> ParseProgramDocument(const std::string& path, std::string document) {
  auto program = engine::ParseProgram(document);
  if (!program.ok()) {
    return Status(program.status().code(),
                  "program_path '" + path + "': " + program.status().message());
  }
  const std::string sha256_hex = trust::ToHex(trust::Sha256(document));
  LoadedProgram loaded{std::move(*program), nullptr, std::move(document), path, sha256_hex};
  try {
    loaded.zone = date::locate_zone(loaded.program.time_zone);
  } catch (const std::exception&) {
    return Status(StatusCode::kProgramInvalid,
                  "program_path '" + path + "': time_zone: '" + loaded.program.time_zone +
                      "' is not a known IANA time zone (e.g. Europe/Paris)");
  }
  return loaded;
}

Status CheckProgramSignature(const std::string& path, std::string_view document,
                             const trust::Ed25519Verifier& key) {
  const std::string sig_path = trust::SignatureFileFor(path);
  std::ifstream in(sig_path, std::ios::binary);
  if (!in) {
    return {StatusCode::kTampered,
            "program file '" + path + "' is not signed: " + sig_path +
                " is missing, and this terminal loads only programs signed by the chain's "
                "program key"};
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string encoded = text.str();
  while (!encoded.empty() && (encoded.back() == '\n' || encoded.back() == '\r' ||
                              encoded.back() == ' ')) {
    encoded.pop_back();
  }
  auto signature = trust::FromBase64(encoded);
  if (!signature || signature->size() != 64) {
    return {StatusCode::kTampered,
            "program file '" + path + "': " + sig_path +
                " does not hold a base64 Ed25519 signature (64 bytes)"};
  }
  if (!key.Verify(trust::ProgramMessage(std::string(document)), *signature)) {
    return {StatusCode::kTampered,
            "program file '" + path +
                "' is not signed by the chain's program key: it was changed or replaced "
                "after signing (" + sig_path + " does not verify)"};
  }
  return Status::Ok();
}

Result<LoadedProgram> ReadProgram(const std::string& path,
                                  const std::optional<trust::Ed25519Verifier>& key) {
  auto bytes = ReadProgramBytes(path);
  if (!bytes.ok()) return bytes.status();
  if (key) {
    if (Status s = CheckProgramSignature(path, *bytes, *key); !s.ok()) return s;
  }
  return ParseProgramDocument(path, std::move(*bytes));
}

std::string SealProgram(std::string_view terminal_key, std::int64_t version,
                        std::string_view document) {
  // Its own label, so a seal can never pass for an entry MAC or a card hash.
  std::string message = "loyalty-program-seal-v1\n" + std::to_string(version) + "\n";
  message.append(document);
  return ledger::Mac(terminal_key).Compute(message);
}

}  // namespace loyalty::terminal
