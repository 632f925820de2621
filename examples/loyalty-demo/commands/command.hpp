// A subcommand of loyalty-demo: one function per file that adds its options
// to the CLI and returns what to run once the command line is parsed.
// Running after parsing (not in a CLI11 callback) keeps every failure a
// Status that main() prints, never an exception.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

#include "loyalty/loyalty.hpp"
#include "till.hpp"

namespace loyalty_demo {

struct Command {
  CLI::App* app = nullptr;               // the subcommand, parsed() when chosen
  std::function<loyalty::Status()> run;  // its work; prints through output.hpp
};

// Every command checks all of its arguments before it opens the till, so
// that a mistake writes nothing: no ledger, no key file.

Command AddEnrollCommand(CLI::App& parent, const TillSettings& till);
Command AddLookupCommand(CLI::App& parent, const TillSettings& till);
Command AddBalanceCommand(CLI::App& parent, const TillSettings& till);
Command AddQuoteCommand(CLI::App& parent, const TillSettings& till);
Command AddEarnCommand(CLI::App& parent, const TillSettings& till);
Command AddHoldCommand(CLI::App& parent, const TillSettings& till);
Command AddConfirmCommand(CLI::App& parent, const TillSettings& till);
Command AddReleaseCommand(CLI::App& parent, const TillSettings& till);
Command AddRedeemCommand(CLI::App& parent, const TillSettings& till);
Command AddRefundCommand(CLI::App& parent, const TillSettings& till);
Command AddExchangeCommand(CLI::App& parent, const TillSettings& till);
Command AddVoidCommand(CLI::App& parent, const TillSettings& till);
Command AddAdjustCommand(CLI::App& parent, const TillSettings& till);
// `gift load`, `gift balance` and `gift void`.
std::vector<Command> AddGiftCommands(CLI::App& parent, const TillSettings& till);
// `wallet top-up` and `wallet void`.
std::vector<Command> AddWalletCommands(CLI::App& parent, const TillSettings& till);
// `void` under `group` (gift or wallet): a load taken back (load_void.cpp).
Command AddLoadVoidCommand(CLI::App& group, const TillSettings& till, bool wallet);
// `block` when `blocked`, else `unblock`.
Command AddBlockCommand(CLI::App& parent, const TillSettings& till, bool blocked);
Command AddEventCommand(CLI::App& parent, const TillSettings& till);
Command AddCardlessCommand(CLI::App& parent, const TillSettings& till);
Command AddHistoryCommand(CLI::App& parent, const TillSettings& till);
Command AddVerifyCommand(CLI::App& parent, const TillSettings& till);
Command AddExpireCommand(CLI::App& parent, const TillSettings& till);
Command AddReportCommand(CLI::App& parent, const TillSettings& till);
Command AddProgramCommand(CLI::App& parent, const TillSettings& till);
Command AddKeygenCommand(CLI::App& parent, const TillSettings& till);
Command AddSyncCommand(CLI::App& parent, const TillSettings& till);
Command AddDemoCommand(CLI::App& parent, const TillSettings& till);
#ifdef LOYALTY_DEMO_WITH_READERS
// Waits for a card on a reader (loyalty::OpenReader connection string, e.g.
// "sim:") and shows it as lookup does. Built when the reader library is.
Command AddReadCommand(CLI::App& parent, const TillSettings& till);
#endif

// Every command above, in the order `--help` lists them.
std::vector<Command> AddAllCommands(CLI::App& parent, const TillSettings& till);

}  // namespace loyalty_demo
