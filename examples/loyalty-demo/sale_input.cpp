#include "sale_input.hpp"

#include "basket_text.hpp"

namespace loyalty_demo {

void AddSaleOptions(CLI::App& app, SaleInput& input, bool tenders) {
  app.add_option("card", input.card, "Card number")->required();
  app.add_option("lines", input.lines,
                 "Sale lines SKU[:CATEGORY][xQTY]=PRICE, e.g. MILK:dairyx2=1.98 "
                 "(PRICE: the whole line; lines count from 0), or bare prices 12.40");
  app.add_option("--basket", input.basket_file,
                 "The lines from a JSON file instead: {\"lines\": [{\"sku\": \"MILK\", "
                 "\"category\": \"dairy\", \"quantity\": 2, \"amount\": \"1.98\"}]}");
  app.add_option("--reward", input.rewards, "A catalog reward taken (repeat for more)");
  app.add_option("--coupon", input.coupons, "A coupon code presented (repeat for more)");
  if (!tenders) return;
  app.add_option("--tender-points", input.tender_points,
                 "Points paying part of the sale (the program's tender.point_value)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--gift-card", input.gift_cards,
                 "CARD=AMOUNT: a gift card paying AMOUNT of the sale (repeat for more)");
  app.add_option("--wallet", input.wallet, "AMOUNT paid from the member's e-wallet");
}

loyalty::Result<loyalty::Checkout> ParseSale(const SaleInput& input,
                                             const loyalty::Currency& currency) {
  loyalty::Checkout checkout;
  auto card = ParseCard(input.card);
  if (!card.ok()) return card.status();
  checkout.card = *card;
  if (input.lines.empty() == input.basket_file.empty()) {
    return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                           input.lines.empty()
                               ? "no sale lines: give SKU[:CATEGORY][xQTY]=PRICE... or --basket FILE"
                               : "sale lines and --basket: give one or the other");
  }
  auto basket = input.basket_file.empty() ? ParseBasket(input.lines, currency)
                                          : ReadBasketFile(input.basket_file, currency);
  if (!basket.ok()) return basket.status();
  checkout.basket = std::move(*basket);
  checkout.rewards = input.rewards;
  checkout.coupons = input.coupons;
  checkout.redeem_points = input.tender_points;
  for (const std::string& text : input.gift_cards) {
    auto tender = ParseGiftCardTender(text, currency);
    if (!tender.ok()) return tender.status();
    checkout.gift_cards.push_back(std::move(*tender));
  }
  if (!input.wallet.empty()) {
    auto minor = ParseAmountMinor(input.wallet, currency, "--wallet", /*allow_zero=*/false);
    if (!minor.ok()) return minor.status();
    checkout.wallet_minor = *minor;
  }
  return checkout;
}

}  // namespace loyalty_demo
