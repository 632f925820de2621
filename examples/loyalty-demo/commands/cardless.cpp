#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

// A sale without a card: no ledger entry, only the till report's member
// share and average baskets.
Command AddCardlessCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string amount;
    std::string receipt_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "cardless", "A sale made without a card, for the till report's member share");
  app->add_option("amount", args->amount, "What the customer paid, e.g. 8.20")->required();
  app->add_option("--receipt", args->receipt_id, "The POS's receipt id of this sale")
      ->required();
  return {app, [args, &till]() -> loyalty::Status {
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto minor = ParseAmountMinor(args->amount, program->currency, "amount");
            if (!minor.ok()) return minor.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::AnonymousSale sale;
            sale.op_id = args->receipt_id;
            sale.currency = std::string(opened->currency.code());
            sale.amount_minor = *minor;
            sale.cashier_id = till.cashier_id;
            if (loyalty::Status s = opened->terminal->RecordAnonymousSale(sale); !s.ok()) return s;
            Show(till, CardlessSaleJson(sale), [&](std::ostream& out) {
              out << "Sale " << sale.op_id << " without a card: "
                  << FormatMoney(sale.amount_minor, opened->currency) << '\n';
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
