#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "sale_input.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddEarnCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    SaleInput sale;
    std::string receipt_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "earn", "Commit a sale: rewards and coupons taken, tenders paid, points earned");
  app->alias("sale");
  AddSaleOptions(*app, args->sale, /*tenders=*/true);
  // The POS's receipt number makes a retried sale harmless, so it is not
  // drawn for the operator: the same receipt typed twice must stay one sale.
  app->add_option("--receipt", args->receipt_id, "The POS's receipt id of this sale")->required();
  return {app, [args, &till]() -> loyalty::Status {
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto checkout = ParseSale(args->sale, program->currency);
            if (!checkout.ok()) return checkout.status();
            checkout->op_id = args->receipt_id;
            checkout->cashier_id = till.cashier_id;
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto receipt = opened->terminal->Commit(*checkout);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              std::int64_t total = 0;
              for (const auto& line : checkout->basket.lines) {
                if (!line.voided) total += line.amount_minor;
              }
              out << "Sale " << args->receipt_id << ": " << FormatMoney(total, opened->currency)
                  << '\n';
              PrintLines(out, checkout->basket, receipt->line_points, opened->currency);
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
