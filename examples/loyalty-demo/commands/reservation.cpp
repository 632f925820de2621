// A reservation's three steps, for tills where payment can still fail
// after a reward was applied: hold what the sale spends, then confirm it
// (the sale earns) or release it (everything goes back).
#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "sale_input.hpp"
#include "screen.hpp"

namespace loyalty_demo {
namespace {

using Decide = loyalty::Result<loyalty::Receipt> (loyalty::Terminal::*)(
    const loyalty::ReservationDecision&);

Command AddDecisionCommand(CLI::App& parent, const TillSettings& till, const char* name,
                           const char* help, Decide decide, const char* headline) {
  struct Args {
    std::string reservation;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(name, help);
  app->add_option("reservation", args->reservation, "The --receipt the sale was held with")
      ->required();
  app->add_option("--op-id", args->op_id, std::string("The POS's id for this ") + name);
  return {app, [args, &till, decide, name, headline]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::ReservationDecision decision;
            decision.op_id = OpIdOr(args->op_id, name);
            decision.reservation_op_id = args->reservation;
            auto receipt = ((*opened->terminal).*decide)(decision);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << headline << ' ' << args->reservation << '\n';
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace

Command AddHoldCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    SaleInput sale;
    std::string receipt_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand(
      "hold", "Reserve what a sale spends (points, rewards, stamps) until confirm or release");
  AddSaleOptions(*app, args->sale, /*tenders=*/true);
  app->add_option("--receipt", args->receipt_id,
                  "The POS's receipt id; confirm and release name it")
      ->required();
  return {app, [args, &till]() -> loyalty::Status {
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto checkout = ParseSale(args->sale, program->currency);
            if (!checkout.ok()) return checkout.status();
            checkout->op_id = args->receipt_id;
            checkout->cashier_id = till.cashier_id;
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto receipt = opened->terminal->Reserve(*checkout);
            if (!receipt.ok()) return receipt.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Held " << args->receipt_id << ": confirm or release it\n";
              PrintLines(out, checkout->basket, receipt->line_points, opened->currency);
              PrintReceipt(out, *receipt, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

Command AddConfirmCommand(CLI::App& parent, const TillSettings& till) {
  return AddDecisionCommand(parent, till, "confirm",
                            "Payment went through: the held sale is booked and earns",
                            &loyalty::Terminal::ConfirmReservation, "Confirmed");
}

Command AddReleaseCommand(CLI::App& parent, const TillSettings& till) {
  return AddDecisionCommand(parent, till, "release",
                            "Payment failed: everything the held sale took goes back",
                            &loyalty::Terminal::ReleaseReservation, "Released");
}

}  // namespace loyalty_demo
