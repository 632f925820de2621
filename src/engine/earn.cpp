#include "engine/earn.hpp"

#include <string>

namespace loyalty::engine {
namespace {

std::string LineName(size_t index, const BasketLine& line) {
  std::string name = "basket.lines[" + std::to_string(index) + "]";
  if (!line.sku.empty()) name += " (sku " + line.sku + ")";
  return name;
}

const char* RoundingWord(Rounding r) {
  switch (r) {
    case Rounding::kDown: return "rounded down";
    case Rounding::kUp: return "rounded up";
    case Rounding::kNearest: return "rounded to nearest";
  }
  return "";
}

}  // namespace

Result<Quote> QuoteEarn(const Program& program, const Basket& basket) {
  if (basket.currency != program.currency.code()) {
    return Status(StatusCode::kCurrencyMismatch,
                  "basket.currency: '" + basket.currency + "' but the program '" +
                      program.id + "' trades in " +
                      std::string(program.currency.code()));
  }
  std::int64_t total = 0;
  for (size_t i = 0; i < basket.lines.size(); ++i) {
    const BasketLine& line = basket.lines[i];
    if (line.amount_minor < 0) {
      return Status(StatusCode::kAmountNegative,
                    LineName(i, line) + ".amount_minor: " +
                        std::to_string(line.amount_minor) +
                        " is negative; returns go through Refund");
    }
    if (line.quantity < 0) {
      return Status(StatusCode::kAmountNegative,
                    LineName(i, line) + ".quantity: " +
                        std::to_string(line.quantity) + " is negative");
    }
    if (line.voided) continue;
    auto sum = internal::CheckedAdd(total, line.amount_minor);
    if (!sum) {
      return Status(StatusCode::kAmountOverflow,
                    "basket total overflows at " + LineName(i, line));
    }
    total = *sum;
  }
  const EarnRule& rule = program.earn;
  auto points = internal::MulDiv(total, rule.points, rule.per_minor, rule.rounding);
  if (!points) {
    return Status(StatusCode::kAmountOverflow,
                  "points for a basket of " + Money(total, program.currency).ToString() +
                      " overflow");
  }
  Quote quote;
  quote.eligible_minor = total;
  quote.currency = std::string(program.currency.code());
  quote.points_to_earn = *points;
  quote.lines.push_back(QuoteLine{
      rule.id, *points,
      std::to_string(rule.points) + (rule.points == 1 ? " point" : " points") +
          " per " + Money(rule.per_minor, program.currency).ToString() + " on " +
          Money(total, program.currency).ToString() + ", " +
          RoundingWord(rule.rounding) + ": " + std::to_string(*points) +
          (*points == 1 ? " point" : " points")});
  return quote;
}

}  // namespace loyalty::engine
