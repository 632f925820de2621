#include "commands/command.hpp"

namespace loyalty_demo {

std::vector<Command> AddAllCommands(CLI::App& parent, const TillSettings& till) {
  std::vector<Command> commands = {
      AddEnrollCommand(parent, till), AddLookupCommand(parent, till),
      AddEarnCommand(parent, till),   AddRedeemCommand(parent, till),
      AddRefundCommand(parent, till), AddVoidCommand(parent, till),
      AddAdjustCommand(parent, till), AddHistoryCommand(parent, till),
      AddVerifyCommand(parent, till), AddExpireCommand(parent, till),
      AddReportCommand(parent, till), AddSyncCommand(parent, till),
  };
#ifdef LOYALTY_DEMO_WITH_READERS
  commands.push_back(AddReadCommand(parent, till));
#endif
  commands.push_back(AddDemoCommand(parent, till));
  return commands;
}

}  // namespace loyalty_demo
