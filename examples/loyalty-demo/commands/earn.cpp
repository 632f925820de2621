#include <iostream>
#include <memory>
#include <vector>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddEarnCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string card;
    std::vector<std::string> prices;
    std::string receipt_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app =
      parent.add_subcommand("earn", "Commit a sale: the card earns on the prices of its lines");
  app->add_option("card", args->card, "Card number")->required();
  app->add_option("prices", args->prices, "Line totals, e.g. 12.40 3.99")->required();
  // The POS's receipt number makes a retried sale harmless, so it is not
  // drawn for the operator: the same receipt typed twice must stay one sale.
  app->add_option("--receipt", args->receipt_id, "The POS's receipt id of this sale")->required();
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto basket = ParseBasket(args->prices, opened->currency);
            if (!basket.ok()) return basket.status();
            std::int64_t total = 0;
            for (const auto& line : basket->lines) total += line.amount_minor;
            loyalty::Checkout checkout;
            checkout.op_id = args->receipt_id;
            checkout.card = *card;
            checkout.basket = std::move(*basket);
            checkout.cashier_id = till.cashier_id;
            auto receipt = opened->terminal->Commit(checkout);
            if (!receipt.ok()) return receipt.status();
            std::cout << "Sale " << args->receipt_id << ": " << FormatMoney(total, opened->currency)
                      << '\n';
            PrintReceipt(std::cout, *receipt, opened->currency);
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
