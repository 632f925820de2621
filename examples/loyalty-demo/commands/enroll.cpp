#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddEnrollCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string card;
    std::string name;
    std::string birthday;
    std::string account_id;
    std::string referrer;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand("enroll",
                                        "Give a customer a card (a new account, "
                                        "or another card on --account)");
  app->add_option("card", args->card, "Card number as keyed or printed")->required();
  app->add_option("--name", args->name, "Holder's name");
  app->add_option("--birthday", args->birthday, "MM-DD or YYYY-MM-DD");
  app->add_option("--account", args->account_id, "Add the card to this existing account");
  app->add_option("--referrer", args->referrer, "Card of the member who brought this one");
  app->add_option("--op-id", args->op_id, "The POS's id for this enrolment");
  return {app, [args, &till]() -> loyalty::Status {
            loyalty::Enrollment request;
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            request.card = *card;
            if (!args->referrer.empty()) {
              auto referrer = ParseCard(args->referrer, "--referrer");
              if (!referrer.ok()) return referrer.status();
              request.referrer = *referrer;
            }
            request.op_id = OpIdOr(args->op_id, "enroll");
            request.account_id = args->account_id;
            request.name = args->name;
            request.birthday = args->birthday;
            request.cashier_id = till.cashier_id;
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto receipt = opened->terminal->Enroll(request);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Enrolled " << receipt->card_masked << " on account " << receipt->account_id
                  << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
