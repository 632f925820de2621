#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddRefundCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string sale_id;
    std::string amount;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "refund", "Goods returned from a sale: its points go back in proportion");
  app->add_option("sale", args->sale_id, "Receipt id of the sale")->required();
  app->add_option("amount", args->amount,
                  "Amount returned, e.g. 12.40 (default: all that is left)");
  app->add_option("--op-id", args->op_id, "The POS's id for this return");
  return {app, [args, &till]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::RefundRequest request;
            request.op_id = OpIdOr(args->op_id, "refund");
            request.sale_op_id = args->sale_id;
            request.cashier_id = till.cashier_id;
            if (!args->amount.empty()) {
              auto minor = ParseAmountMinor(args->amount, opened->currency);
              if (!minor.ok()) return minor.status();
              request.amount_minor = *minor;
            }
            auto receipt = opened->terminal->Refund(request);
            if (!receipt.ok()) return receipt.status();
            std::cout << "Return on " << args->sale_id
                      << (request.amount_minor
                              ? ": " + FormatMoney(*request.amount_minor, opened->currency)
                              : std::string(": everything left"))
                      << '\n';
            PrintReceipt(std::cout, *receipt, opened->currency);
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
