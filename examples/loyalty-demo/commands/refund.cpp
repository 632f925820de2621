#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddRefundCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string sale_id;
    std::string amount;
    std::vector<std::string> lines;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "refund",
      "Goods returned from a sale: an amount (points back in proportion) or --lines (exactly "
      "what those lines earned)");
  app->add_option("sale", args->sale_id, "Receipt id of the sale")->required();
  CLI::Option* amount = app->add_option(
      "amount", args->amount, "Amount returned, e.g. 12.40 (default: all that is left)");
  app->add_option("--lines", args->lines,
                  "LINE[xQTY]: units of a line returned, lines counted from 0 as the sale "
                  "printed them (as loyalty_refund_lines); repeat for more")
      ->excludes(amount);
  app->add_option("--op-id", args->op_id, "The POS's id for this return");
  return {app, [args, &till]() -> loyalty::Status {
            loyalty::RefundRequest request;
            request.sale_op_id = args->sale_id;
            request.cashier_id = till.cashier_id;
            for (const std::string& text : args->lines) {
              auto back = ParseReturnLine(text);
              if (!back.ok()) return back.status();
              request.lines.push_back(*back);
            }
            if (!args->amount.empty()) {
              auto program = ReadProgramFacts(till);
              if (!program.ok()) return program.status();
              auto minor = ParseAmountMinor(args->amount, program->currency, "amount");
              if (!minor.ok()) return minor.status();
              request.amount_minor = *minor;
            }
            request.op_id = OpIdOr(args->op_id, "refund");
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto receipt = opened->terminal->Refund(request);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Return on " << args->sale_id << ": ";
              if (request.amount_minor) {
                out << FormatMoney(*request.amount_minor, opened->currency);
              } else if (!request.lines.empty()) {
                const char* sep = "";
                for (const auto& back : request.lines) {
                  out << sep << back.quantity << " of line " << back.line_no;
                  sep = ", ";
                }
              } else {
                out << "everything left";
              }
              out << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
