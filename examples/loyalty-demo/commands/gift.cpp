// Gift cards: money in the program's currency, created by their first load,
// spent as a tender of a sale (earn --gift-card CARD=AMOUNT), a load taken
// back with `gift void` (load_void.cpp).
#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "op_ids.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {
namespace {

Command AddGiftLoadCommand(CLI::App& gift, const TillSettings& till) {
  struct Args {
    std::string card;
    std::string amount;
    std::string op_id;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = gift.add_subcommand("load", "Sell or top up a gift card");
  app->add_option("card", args->card, "Gift card number")->required();
  app->add_option("amount", args->amount, "Amount put on it, e.g. 25.00")->required();
  app->add_option("--op-id", args->op_id, "The POS's id for this load");
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card, "gift card");
            if (!card.ok()) return card.status();
            auto program = ReadProgramFacts(till);
            if (!program.ok()) return program.status();
            auto minor = ParseAmountMinor(args->amount, program->currency, "amount",
                                          /*allow_zero=*/false);
            if (!minor.ok()) return minor.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            loyalty::StoredValueLoad load;
            load.op_id = OpIdOr(args->op_id, "gift-load");
            load.card = *card;
            load.amount_minor = *minor;
            auto receipt = opened->terminal->LoadGiftCard(load);
            if (!receipt.ok()) return receipt.status();
            auto balance = opened->terminal->GiftCardBalance(*card);
            if (!balance.ok()) return balance.status();
            Show(till, ReceiptJson(*receipt), [&](std::ostream& out) {
              out << "Gift card " << card->Masked() << " loaded with "
                  << FormatMoney(*minor, opened->currency) << ", now holds "
                  << FormatMoney(*balance, opened->currency) << '\n';
              if (receipt->replayed) {
                out << "  already recorded: '" << receipt->op_id
                    << "' was booked before; nothing written again\n";
              }
            });
            return loyalty::Status::Ok();
          }};
}

Command AddGiftBalanceCommand(CLI::App& gift, const TillSettings& till) {
  auto card_text = std::make_shared<std::string>();
  CLI::App* app = gift.add_subcommand("balance", "What a gift card holds");
  app->add_option("card", *card_text, "Gift card number")->required();
  return {app, [card_text, &till]() -> loyalty::Status {
            auto card = ParseCard(*card_text, "gift card");
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto balance = opened->terminal->GiftCardBalance(*card);
            if (!balance.ok()) return balance.status();
            Show(till, GiftCardJson(*card, *balance), [&](std::ostream& out) {
              out << "Gift card " << card->Masked() << " holds "
                  << FormatMoney(*balance, opened->currency) << '\n';
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace

std::vector<Command> AddGiftCommands(CLI::App& parent, const TillSettings& till) {
  CLI::App* gift = parent.add_subcommand("gift", "Gift cards: load, balance, void");
  gift->require_subcommand(1);
  return {AddGiftLoadCommand(*gift, till), AddGiftBalanceCommand(*gift, till),
          AddLoadVoidCommand(*gift, till, /*wallet=*/false)};
}

}  // namespace loyalty_demo
