// Reading a program document from disk, and the two checks that a file
// was not swapped behind the till's back (docs/security.md, "Tampering"):
//  - a signature file beside the program, by the chain's Ed25519 program
//    key, when the terminal pins one (Options::program_public_key_pem);
//  - a seal under the terminal key over each program version accepted from
//    the server, kept in the ledger, so the copy on disk must be the one
//    the server signed even when no key is pinned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <date/tz.h>

#include "engine/program.hpp"
#include "loyalty/status.hpp"
#include "trust/ed25519.hpp"

namespace loyalty::terminal {

struct LoadedProgram {
  engine::Program program;
  const date::time_zone* zone = nullptr;
  std::string document;  // the bytes it was parsed from
  std::string path;      // the file they were read from
  std::string sha256_hex;  // of `document`: what the ledger records
};

// The file's bytes; kIoError naming the path.
Result<std::string> ReadProgramBytes(const std::string& path);

// Parses `document` (read from `path`, named in errors) and finds its zone.
Result<LoadedProgram> ParseProgramDocument(const std::string& path, std::string document);

// kTampered when the signature file beside `path` (trust::SignatureFileFor)
// is missing, unreadable or does not verify `document` under `key`; the
// message names the file.
Status CheckProgramSignature(const std::string& path, std::string_view document,
                             const trust::Ed25519Verifier& key);

// Reads, checks against `key` when there is one, and parses.
Result<LoadedProgram> ReadProgram(const std::string& path,
                                  const std::optional<trust::Ed25519Verifier>& key);

// The seal of an accepted program version under the terminal key.
std::string SealProgram(std::string_view terminal_key, std::int64_t version,
                        std::string_view document);

}  // namespace loyalty::terminal
