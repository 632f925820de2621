#include <iostream>
#include <memory>

#include "basket_text.hpp"
#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddHistoryCommand(CLI::App& parent, const TillSettings& till) {
  struct Args {
    std::string card;
    int limit = 20;
  };
  auto args = std::make_shared<Args>();
  CLI::App* app = parent.add_subcommand("history", "A card's ledger entries, newest first");
  app->add_option("card", args->card, "Card number")->required();
  app->add_option("--limit", args->limit, "At most this many entries")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  return {app, [args, &till]() -> loyalty::Status {
            auto card = ParseCard(args->card);
            if (!card.ok()) return card.status();
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto view = opened->terminal->Lookup(*card);
            if (!view.ok()) return view.status();
            auto entries = opened->terminal->History(*card, args->limit);
            if (!entries.ok()) return entries.status();
            Show(till, HistoryJson(*entries), [&](std::ostream& out) {
              PrintCard(out, *view, opened->currency);
              PrintHistory(out, *entries, opened->currency);
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
