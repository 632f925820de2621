// `gift void` and `wallet void`: money a load put on a gift card or a
// wallet taken back (Terminal::VoidLoad), all of it or --amount of it;
// the library refuses what is already spent and says what is left.
#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddLoadVoidCommand(CLI::App& group, const TillSettings& till, bool wallet) {
  struct Args {
    std::string load_id;
    std::string amount;
    std::string operator_id;
    std::string reason;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  const std::string loads = wallet ? "wallet top-up" : "gift-card load";
  CLI::App* app = group.add_subcommand(
      "void", "Take back a " + loads + " keyed by mistake: all of it or --amount of it (money "
              "already spent is refused)");
  app->add_option("load", args->load_id, "The op id of the " + loads)->required();
  app->add_option("--amount", args->amount,
                  "Only this much, e.g. 20.00 (default: all of it not taken back yet)");
  app->add_option("--operator", args->operator_id, "Who authorised it")->required();
  app->add_option("--reason", args->reason, "Why");
  app->add_option("--op-id", args->op_id, "The POS's id for this void");
  return {app, [args, &till, wallet]() -> loyalty::Status {
            loyalty::LoadVoid request;
            request.load_op_id = args->load_id;
            request.operator_id = args->operator_id;
            request.reason = args->reason;
            request.cashier_id = till.cashier_id;
            if (!args->amount.empty()) {
              auto program = ReadProgramFacts(till);
              if (!program.ok()) return program.status();
              auto minor = ParseAmountMinor(args->amount, program->currency, "--amount",
                                            /*allow_zero=*/false);
              if (!minor.ok()) return minor.status();
              request.amount_minor = *minor;
            }
            request.op_id = OpIdOr(args->op_id, wallet ? "wallet-void" : "gift-void");
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto receipt = opened->terminal->VoidLoad(request);
            if (!receipt.ok()) return receipt.status();
            // Both subcommands reach the same call: the receipt says which
            // it was (a wallet's carries the account after it).
            const bool on_wallet = !receipt->after.account_id.empty();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Took back " << FormatMoney(-receipt->stored_value_minor, opened->currency)
                  << " of load " << args->load_id << " from "
                  << (on_wallet ? "the wallet of card " : "gift card ") << receipt->card_masked
                  << '\n';
              if (receipt->replayed) {
                out << "  already recorded: '" << receipt->op_id
                    << "' was booked before; nothing written again\n";
              }
              if (on_wallet) {
                out << "  wallet now " << FormatMoney(receipt->after.wallet_minor, opened->currency)
                    << '\n';
              }
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
