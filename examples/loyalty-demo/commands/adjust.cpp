#include <cstdint>
#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddAdjustCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string card;
    loyalty::Points points = 0;
    std::string operator_id;
    std::string reason;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app =
      parent.add_subcommand("adjust", "Correct a balance by hand (signed points: 50 or -20)");
  app->add_option("card", args->card, "Card number")->required();
  app->add_option("points", args->points, "Points to add (negative: to take)")->required()
      // CLI11 reads a number too big for int64 as its largest (or
      // smallest) value: refused here, the library's own limit refuses
      // the rest with amount_overflow (docs/limits.md).
      ->check(CLI::Range(INT64_MIN + 1, INT64_MAX - 1));
  app->add_option("--operator", args->operator_id, "Who made the correction")->required();
  app->add_option("--reason", args->reason, "Why")->required();
  app->add_option("--op-id", args->op_id, "The POS's id for this correction");
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            if (args->points == 0) {
              return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                                     "points: an adjustment cannot be 0");
            }
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::Adjustment request;
            request.op_id = OpIdOr(args->op_id, "adjust");
            request.card = *card;
            request.points = args->points;
            request.operator_id = args->operator_id;
            request.reason = args->reason;
            request.cashier_id = till.cashier_id;
            auto receipt = opened->terminal->Adjust(request);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Adjusted by " << args->operator_id << ": " << args->reason << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
