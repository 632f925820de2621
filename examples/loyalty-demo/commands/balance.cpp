#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

// Only the points: what a screen that refreshes often asks.
Command AddBalanceCommand(CLI::App& parent, const TillSettings& till) {
  auto card_text = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand("balance", "Just the points of a card");
  app->add_option("card", *card_text, "Card number")->required();
  return {app, [card_text, &till]() -> loyalty::Status {
            auto card = ParseCard(*card_text);
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto balance = opened->terminal->Balance(*card);
            if (!balance.ok()) return balance.status();
            Show(till, BalanceJson(*balance), [&](std::ostream& out) {
              out << "  available " << FormatPoints(balance->available) << ", pending "
                  << FormatPoints(balance->pending) << ", held " << FormatPoints(balance->held)
                  << ", balance " << FormatPoints(balance->balance)
                  << (balance->blocked ? "  ** CARD BLOCKED **" : "") << '\n';
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
