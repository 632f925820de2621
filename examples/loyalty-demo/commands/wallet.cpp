// The member's e-wallet: money on the loyalty account, spent as a tender of
// a sale (earn --wallet AMOUNT), a top-up taken back with `wallet void`.
#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

namespace {

Command AddTopUpCommand(CLI::App& wallet, const TillSettings& till) {
  struct Args {
    std::string card;
    std::string amount;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = wallet.add_subcommand("top-up", "Put money in a member's e-wallet");
  app->add_option("card", args->card, "The member's loyalty card")->required();
  app->add_option("amount", args->amount, "Amount, e.g. 20.00")->required();
  app->add_option("--op-id", args->op_id, "The POS's id for this top-up");
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto minor = ParseAmountMinor(args->amount, program->currency, "amount",
                                          /*allow_zero=*/false);
            if (!minor.ok()) return minor.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::StoredValueLoad load;
            load.op_id = OpIdOr(args->op_id, "wallet");
            load.card = *card;
            load.amount_minor = *minor;
            auto receipt = opened->terminal->TopUpWallet(load);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Wallet topped up with " << FormatMoney(*minor, opened->currency) << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace

std::vector<Command> AddWalletCommands(CLI::App& parent, const TillSettings& till) {
  CLI::App* wallet = parent.add_subcommand("wallet", "The member's e-wallet: top-up, void");
  wallet->require_subcommand(1);
  return {AddTopUpCommand(*wallet, till), AddLoadVoidCommand(*wallet, till, /*wallet=*/true)};
}

}  // namespace loyalty_demo
