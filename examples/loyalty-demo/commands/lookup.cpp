#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddLookupCommand(CLI::App& parent, const TillSettings& till) {
  auto card_text = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand(
      "lookup", "Show a card as the till shows it on a swipe: points, rewards, stamps");
  app->add_option("card", *card_text, "Card number")->required();
  return {app, [card_text, &till]() -> loyalty::Status {
            auto card = ParseCard(*card_text);
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto view = opened->terminal->Lookup(*card);
            if (!view.ok()) return view.status();
            Show(till, CardJson(*view),
                 [&](std::ostream& out) { PrintCard(out, *view, opened->currency); });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
