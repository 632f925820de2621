// The "cards" section of a program document: which numbers are cards of
// the program.
#include "engine/program_checker.hpp"


namespace loyalty::engine::parse {

void ParseCards(Checker& check, const Json& cards, Program& program) {
  const std::string path = "cards";
  check.OnlyKnownKeys(cards, path,
                      {"min_length", "max_length", "prefixes", "check_digit",
                       "allow_payment_cards"});
  std::int64_t min_length = program.cards.min_length;
  std::int64_t max_length = program.cards.max_length;
  check.Integer(cards, path, "min_length", 4, 64, min_length);
  check.Integer(cards, path, "max_length", 4, 64, max_length);
  if (min_length > max_length) {
    check.Problem("cards.max_length", "must be >= cards.min_length (" +
                                          std::to_string(min_length) + ")");
  }
  program.cards.min_length = static_cast<int>(min_length);
  program.cards.max_length = static_cast<int>(max_length);
  if (cards.contains("prefixes")) {
    const Json& prefixes = cards.at("prefixes");
    if (!prefixes.is_array()) {
      check.Problem("cards.prefixes", "must be a list of strings");
    } else {
      for (size_t i = 0; i < prefixes.size(); ++i) {
        const std::string where = "cards.prefixes[" + std::to_string(i) + "]";
        if (!prefixes[i].is_string() || prefixes[i].get<std::string>().empty()) {
          check.Problem(where, "must be a non-empty string");
          continue;
        }
        program.cards.prefixes.push_back(prefixes[i].get<std::string>());
      }
    }
  }
  std::string check_digit = "none";
  check.Text(cards, path, "check_digit", check_digit);
  if (check_digit == "luhn") {
    program.cards.luhn = true;
  } else if (check_digit != "none") {
    check.Problem("cards.check_digit",
                  "must be \"luhn\" or \"none\", got \"" + check_digit + "\"");
  }
  check.Boolean(cards, path, "allow_payment_cards", program.cards.allow_payment_cards);
}

}  // namespace loyalty::engine::parse
