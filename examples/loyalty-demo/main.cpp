// loyalty-demo: a till at the command line, over libloyalty.
//
//   loyalty-demo demo                         a scripted morning at a till
//   loyalty-demo enroll 9900123456789017 --name "Anna Weber"
//   loyalty-demo earn 9900123456789017 12.40 3.99 --receipt R-1001
//
// The ledger (loyalty.db), its lock and its key (loyalty.db.key) live in the
// current folder unless --db / --key-file say otherwise.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands/command.hpp"
#include "till.hpp"

int main(int argc, char** argv) {
  try {
    CLI::App app{"A loyalty till at the command line (libloyalty demo)", "loyalty-demo"};
    loyalty_demo::TillSettings till;
    loyalty_demo::AddTillOptions(app, till);
    // Till options may follow the subcommand (`earn ... --db other.db`);
    // subcommands copy this setting when they are added, so it comes first.
    app.fallthrough();
    app.require_subcommand(1);
    std::vector<loyalty_demo::Command> commands = loyalty_demo::AddAllCommands(app, till);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
    for (const auto& command : commands) {
      if (!command.app->parsed()) continue;
      const loyalty::Status status = command.run();
      if (!status.ok()) {
        std::cerr << "error: " << status.ToString() << '\n';
        return 1;
      }
      return 0;
    }
    return 1;
  } catch (const std::exception& e) {
    // Only the standard library throws here (allocation, file system).
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
