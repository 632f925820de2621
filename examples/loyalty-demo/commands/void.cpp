#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddVoidCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string target_id;
    std::string operator_id;
    std::string reason;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app =
      parent.add_subcommand("void", "Undo a sale, redemption or adjustment made by mistake");
  app->add_option("target", args->target_id, "Id of the operation to undo")->required();
  app->add_option("--operator", args->operator_id, "Who authorised it")->required();
  app->add_option("--reason", args->reason, "Why")->required();
  app->add_option("--op-id", args->op_id, "The POS's id for this void");
  return {app, [args, &till]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::VoidRequest request;
            request.op_id = OpIdOr(args->op_id, "void");
            request.target_op_id = args->target_id;
            request.operator_id = args->operator_id;
            request.reason = args->reason;
            request.cashier_id = till.cashier_id;
            auto receipt = opened->terminal->Void(request);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Voided " << args->target_id << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
