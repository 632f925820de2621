#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddExpireCommand(CLI::App& parent, const TillSettings& till) {
  auto op_id = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand(
      "expire", "Write expiry entries for points past their date (run daily)");
  app->add_option("--op-id", *op_id, "The POS's id for this run");
  return {app, [op_id, &till]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto receipts = opened->terminal->ExpirePoints(OpIdOr(*op_id, "expire"));
            if (!receipts.ok()) return receipts.status();
            Show(till, ExpiryJson(*receipts), [&](std::ostream& out) {
              if (receipts->empty()) out << "Nothing to expire\n";
              for (const auto& receipt : *receipts) {
                out << "Expired on account " << receipt.account_id << '\n';
                PrintReceipt(out, receipt, opened->currency);
              }
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
