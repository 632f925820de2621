// The till this program plays: where its ledger, program and keys are, how
// it prints, and how to open the Terminal on them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"

namespace loyalty_demo {

// What OpenTill created on a till's first start (the ledger with its lock
// and journal files, the key file). main() undoes it when the command then
// fails, so that a mistake in a fresh folder (a card the program's check
// digit refuses, a reward that does not exist) leaves nothing behind.
class FirstStart {
 public:
  void Created(std::string path) { paths_.push_back(std::move(path)); }
  // Removes what was created; the Terminal must be closed.
  void Undo();

 private:
  std::vector<std::string> paths_;
};

struct TillSettings {
  std::string database_path = "loyalty.db";
  std::string program_path;  // empty: DefaultProgramPath()
  std::string terminal_id = "till-1";
  std::string key_file;    // empty: database_path + ".key"
  std::string card_key_file;  // optional: the chain's card key; empty: the terminal key
  std::string cashier_id;  // optional, for the till report
  std::string program_key_file;  // optional: the chain's program public key
  bool json = false;       // results as JSON lines (result_json.hpp) instead of text
  bool read_only = false;  // Options::read_only: look up and verify, write nothing
  bool allow_program_change = false;  // Options::allow_unsigned_program_change
  FirstStart* first_start = nullptr;  // optional: told what a first start created
};

// Adds --db, --program, --program-key, --terminal-id, --key-file,
// --card-key-file, --cashier, --read-only, --allow-program-change and
// --json to `app`.
void AddTillOptions(CLI::App& app, TillSettings& settings);

// The program file shipped beside the executable (programs/supermarket.json
// copied there by the build), else the one in the source tree.
std::string DefaultProgramPath();

// What the CLI needs of the program before the till opens: its currency,
// so that every amount typed is checked before the till (and with it a new
// ledger or key file) is; and whether tiers measure spend (money) or
// points, which the quote's tier progress does not say. Read from the
// settings' program file; kIoError / kProgramInvalid name the file. The
// full check of the program is Terminal::Open's.
struct ProgramFacts {
  loyalty::Currency currency;
  bool tiers_measure_spend = true;
};
loyalty::Result<ProgramFacts> ReadProgramFacts(const TillSettings& settings);

// An open till: the Terminal and the currency its program trades in, which
// every price typed or printed is in.
struct Till {
  std::unique_ptr<loyalty::Terminal> terminal;
  loyalty::Currency currency;
};

// Opens the Terminal the settings describe. On a till's first start (no
// ledger yet) the terminal key file is drawn and kept only once the
// Terminal opened; a ledger whose key file is missing is refused (a new key
// could not read it). An existing key file is read by the library
// (Options::terminal_key_file: owner-only or refused), and it records that
// its key has written entries (Options::ledger_must_exist): a ledger file
// beside it that is empty (0 bytes) or has no entries is refused. A missing
// ledger beside an existing key file starts a new one: keys are made ahead
// (keygen, then loyalty-server add-terminal) under the default name too.
// Errors are the library's (see Terminal::Open) or the key files'.
loyalty::Result<Till> OpenTill(const TillSettings& settings);

}  // namespace loyalty_demo
