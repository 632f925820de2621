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

Command AddRedeemCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string card;
    loyalty::Points points = 0;
    std::string reason;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app =
      parent.add_subcommand("redeem", "Spend points on something handed over the counter");
  app->add_option("card", args->card, "Card number")->required();
  app->add_option("points", args->points, "Points to spend")->required()
      // CLI11 reads a number too big for int64 as its largest (or
      // smallest) value: refused here, the library's own limit refuses
      // the rest with amount_overflow (docs/limits.md).
      ->check(CLI::Range(INT64_MIN + 1, INT64_MAX - 1));
  app->add_option("--reason", args->reason, "What the customer got (shown in history)")->required();
  app->add_option("--op-id", args->op_id, "The POS's id for this redemption");
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            if (args->points <= 0) {
              return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                                     "points: " + std::to_string(args->points) +
                                         ": a redemption spends at least 1 point");
            }
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::Redemption request;
            request.op_id = OpIdOr(args->op_id, "redeem");
            request.card = *card;
            request.points = args->points;
            request.reason = args->reason;
            request.cashier_id = till.cashier_id;
            auto receipt = opened->terminal->Redeem(request);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Redeemed for " << args->reason << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
