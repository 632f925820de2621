#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "sale_input.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddExchangeCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string sale_id;
    std::vector<std::string> returned;
    SaleInput sale;
    std::string receipt_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "exchange",
      "Goods of a sale back (--return) and other goods bought instead, in one operation: "
      "both halves or neither");
  app->add_option("sale", args->sale_id, "Receipt id of the sale the goods came from")
      ->required();
  AddSaleOptions(*app, args->sale, /*tenders=*/true);
  app->add_option("--return", args->returned,
                  "LINE[xQTY]: units of a line of the sale brought back, lines counted from 0 "
                  "as the sale printed them (as loyalty_exchange); repeat for more")
      ->required();
  // Like a sale's: the goods bought are returned later by this id, and a
  // retried exchange must stay one.
  app->add_option("--receipt", args->receipt_id, "The POS's receipt id of this exchange")
      ->required();
  return {app, [args, &till]() -> loyalty::Status {
            loyalty::ExchangeRequest request;
            request.op_id = args->receipt_id;
            request.sale_op_id = args->sale_id;
            for (const std::string& text : args->returned) {
              auto back = ParseReturnLine(text, "--return");
              if (!back.ok()) return back.status();
              request.returned.push_back(*back);
            }
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto purchase = ParseSale(args->sale, program->currency);
            if (!purchase.ok()) return purchase.status();
            request.purchase = std::move(*purchase);
            request.purchase.cashier_id = till.cashier_id;
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto done = opened->terminal->Exchange(request);
            if (!done.ok()) return done.status();
            Show(till, ExchangeJson(*done), [&](std::ostream& out) {
              out << "Exchange " << args->receipt_id << " on " << args->sale_id << ": back ";
              const char* sep = "";
              for (const auto& back : request.returned) {
                out << sep << back.quantity << " of line " << back.line_no;
                sep = ", ";
              }
              out << '\n';
              PrintReceipt(out, done->returned, opened->currency);
              out << "Bought instead:\n";
              PrintLines(out, request.purchase.basket, done->bought.line_points,
                         opened->currency);
              PrintReceipt(out, done->bought, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
