// loyalty-demo: a till at the command line, over libloyalty.
//
//   loyalty-demo demo                         a scripted morning at a till
//   loyalty-demo enroll 9900123456789017 --name "Anna Weber"
//   loyalty-demo quote 9900123456789017 MILK:dairyx2=1.98 BREAD=2.49
//   loyalty-demo earn 9900123456789017 MILK:dairyx2=1.98 --receipt R-1001 --json
//
// The ledger (loyalty.db), its lock and its key (loyalty.db.key) live in the
// current folder unless --db / --key-file say otherwise. Exit codes:
// exit_codes.hpp; the walk-through: docs/integration.md, "Try it from the
// shell".
#include <CLI/CLI.hpp>
#include <cstring>
#include <exception>
#include <iostream>

#include "commands/command.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "till.hpp"

namespace {

// Whether --json was typed: known even when the command line as a whole
// does not parse, so that its error comes as JSON too.
bool AskedForJson(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const bool json = AskedForJson(argc, argv);
  try {
    CLI::App app{"A loyalty till at the command line (libloyalty demo)", "loyalty-demo"};
    loyalty_demo::TillSettings till;
    loyalty_demo::FirstStart first_start;
    till.first_start = &first_start;
    loyalty_demo::AddTillOptions(app, till);
    // Till options may follow the subcommand (`earn ... --db other.db`);
    // subcommands copy this setting when they are added, so it comes first.
    app.fallthrough();
    app.require_subcommand(1);
    std::vector<loyalty_demo::Command> commands = loyalty_demo::AddAllCommands(app, till);
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      if (!json) {
        app.exit(e);
        return loyalty_demo::kExitUsage;
      }
      return loyalty_demo::ShowError(
          json, loyalty::Status(loyalty::StatusCode::kInvalidArgument, e.what()),
          loyalty_demo::kExitUsage);
    }
    for (const auto& command : commands) {
      if (!command.app->parsed()) continue;
      const loyalty::Status status = command.run();
      if (!status.ok()) {
        first_start.Undo();  // the till is closed: run() has returned
        return loyalty_demo::ShowError(json, status);
      }
      return loyalty_demo::kExitOk;
    }
    return loyalty_demo::kExitUsage;
  } catch (const std::exception& e) {
    // Only the standard library throws here (allocation, file system).
    return loyalty_demo::ShowError(
        json, loyalty::Status(loyalty::StatusCode::kInternal, e.what()));
  }
}
