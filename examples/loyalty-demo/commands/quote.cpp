#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "sale_input.hpp"
#include "screen.hpp"

namespace loyalty_demo {

// What a basket would earn and what the card could take, read out as the
// cashier would before the customer pays. Writes nothing.
Command AddQuoteCommand(CLI::App& parent, const TillSettings& till) {
  auto sale = std::make_shared<SaleInput>();
  CLI::App* app = parent.add_subcommand(
      "quote", "What a basket would earn and which rewards the card could take (writes nothing)");
  AddSaleOptions(*app, *sale, /*tenders=*/false);
  return {app, [sale, &till]() -> loyalty::Status {
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto checkout = ParseSale(*sale, program->currency);
            if (!checkout.ok()) return checkout.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto quote = opened->terminal->QuoteBasket(checkout->card, checkout->basket,
                                                       checkout->rewards, checkout->coupons);
            if (!quote.ok()) return quote.status();
            Show(till, QuoteJson(*quote), [&](std::ostream& out) {
              out << "Quote for card " << checkout->card.Masked() << " (nothing is written)\n";
              PrintQuote(out, checkout->basket, *quote, opened->currency,
                         program->tiers_measure_spend);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
