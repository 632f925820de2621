#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

// `block` (lost, stolen, misuse) and `unblock`: the same request either way.
Command AddBlockCommand(CLI::App& parent, const TillSettings& till, bool blocked) {
  struct Args {
    std::string card;
    std::string operator_id;
    std::string reason;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      blocked ? "block" : "unblock",
      blocked ? "Block a card (lost, stolen): it is refused for points"
              : "Accept a blocked card again");
  app->add_option("card", args->card, "Card number")->required();
  app->add_option("--operator", args->operator_id, "Who decided it")->required();
  app->add_option("--reason", args->reason, "Why");
  app->add_option("--op-id", args->op_id, "The POS's id for this");
  return {app, [args, &till, blocked]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::CardBlock request;
            request.op_id = OpIdOr(args->op_id, blocked ? "block" : "unblock");
            request.card = *card;
            request.blocked = blocked;
            request.operator_id = args->operator_id;
            request.reason = args->reason;
            request.cashier_id = till.cashier_id;
            auto receipt = opened->terminal->Block(request);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << (blocked ? "Blocked " : "Unblocked ") << receipt->card_masked << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
