#include "basket_text.hpp"

namespace loyalty_demo {

loyalty::Result<std::int64_t> ParseAmountMinor(const std::string& text,
                                               const loyalty::Currency& currency) {
  auto money = loyalty::Money::Parse(text, currency);
  if (!money.ok()) return money.status();
  return money->minor();
}

loyalty::Result<loyalty::Basket> ParseBasket(const std::vector<std::string>& prices,
                                             const loyalty::Currency& currency) {
  loyalty::Basket basket;
  basket.currency = std::string(currency.code());
  for (std::size_t i = 0; i < prices.size(); ++i) {
    auto minor = ParseAmountMinor(prices[i], currency);
    if (!minor.ok()) return minor.status();
    loyalty::BasketLine line;
    line.sku = "line-" + std::to_string(i + 1);  // the CLI knows prices, not products
    line.amount_minor = *minor;
    basket.lines.push_back(std::move(line));
  }
  return basket;
}

loyalty::Result<loyalty::CardId> ParseCard(const std::string& text) {
  auto card = loyalty::CardId::Parse(text);
  if (!card.ok()) {
    return loyalty::Status(card.status().code(), "card number: " + card.status().message());
  }
  return card;
}

}  // namespace loyalty_demo
