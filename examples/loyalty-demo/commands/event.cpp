#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

// A bonus for something the customer did (the program's bonuses.events).
Command AddEventCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string card;
    std::string event;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "event", "A bonus for something the customer did (a review, a survey)");
  app->add_option("card", args->card, "Card number")->required();
  app->add_option("event", args->event, "The event, as the program's bonuses.events names it")
      ->required();
  app->add_option("--op-id", args->op_id, "The POS's id for this");
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::CustomerEvent event;
            event.op_id = OpIdOr(args->op_id, "event");
            event.card = *card;
            event.event = args->event;
            event.cashier_id = till.cashier_id;
            auto receipt = opened->terminal->RecordEvent(event);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Bonus for " << args->event << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
