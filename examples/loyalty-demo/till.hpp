// The till this program plays: where its ledger, program and key are, and
// how to open the Terminal on them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "loyalty/loyalty.hpp"

namespace loyalty_demo {

struct TillSettings {
  std::string database_path = "loyalty.db";
  std::string program_path;  // empty: DefaultProgramPath()
  std::string terminal_id = "till-1";
  std::string key_file;    // empty: database_path + ".key"
  std::string cashier_id;  // optional, for the till report
  std::string program_key_file;  // optional: the chain's program public key
};

// Adds --db, --program, --program-key, --terminal-id, --key-file and
// --cashier to `app`.
void AddTillOptions(CLI::App& app, TillSettings& settings);

// The program file shipped beside the executable (programs/supermarket.json
// copied there by the build), else the one in the source tree.
std::string DefaultProgramPath();

// An open till: the Terminal and the currency its program trades in, which
// every price typed or printed is in.
struct Till {
  std::unique_ptr<loyalty::Terminal> terminal;
  loyalty::Currency currency;
};

// Opens the Terminal the settings describe, creating the key file on first
// use. Errors are the library's (see Terminal::Open) or the key file's.
loyalty::Result<Till> OpenTill(const TillSettings& settings);

}  // namespace loyalty_demo
