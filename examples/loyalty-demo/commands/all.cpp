#include "commands/command.hpp"

namespace loyalty_demo {

std::vector<Command> AddAllCommands(CLI::App& parent, const TillSettings& till) {
  std::vector<Command> commands = {
      AddEnrollCommand(parent, till),          AddLookupCommand(parent, till),
      AddBalanceCommand(parent, till),         AddQuoteCommand(parent, till),
      AddEarnCommand(parent, till),            AddHoldCommand(parent, till),
      AddConfirmCommand(parent, till),         AddReleaseCommand(parent, till),
      AddRedeemCommand(parent, till),          AddRefundCommand(parent, till),
      AddExchangeCommand(parent, till),        AddVoidCommand(parent, till),
      AddAdjustCommand(parent, till),
  };
  for (Command& command : AddGiftCommands(parent, till)) commands.push_back(std::move(command));
  for (Command& command : AddWalletCommands(parent, till)) commands.push_back(std::move(command));
  for (Command command : {AddBlockCommand(parent, till, true),
                          AddBlockCommand(parent, till, false), AddEventCommand(parent, till),
                          AddCardlessCommand(parent, till), AddHistoryCommand(parent, till),
                          AddVerifyCommand(parent, till), AddExpireCommand(parent, till),
                          AddReportCommand(parent, till), AddProgramCommand(parent, till),
                          AddSyncCommand(parent, till), AddKeygenCommand(parent, till)}) {
    commands.push_back(std::move(command));
  }
#ifdef LOYALTY_DEMO_WITH_READERS
  commands.push_back(AddReadCommand(parent, till));
#endif
  commands.push_back(AddDemoCommand(parent, till));
  return commands;
}

}  // namespace loyalty_demo
