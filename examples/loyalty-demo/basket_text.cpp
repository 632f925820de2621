#include "basket_text.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace loyalty_demo {
namespace {

loyalty::Status Invalid(std::string message) {
  return {loyalty::StatusCode::kInvalidArgument, std::move(message)};
}

bool AllDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// A whole number >= 1 in decimal digits only (no sign, no spaces).
loyalty::Result<std::int64_t> ParseCount(std::string_view text, const std::string& what) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!AllDigits(text) || error != std::errc() || end != text.data() + text.size() || value < 1) {
    return Invalid(what + ": '" + std::string(text) + "' is not a whole number of at least 1");
  }
  return value;
}

loyalty::Result<loyalty::BasketLine> ParseSaleLine(const std::string& text, std::size_t index,
                                                   const loyalty::Currency& currency) {
  const std::string what = "sale line " + std::to_string(index) + " '" + text + "'";
  loyalty::BasketLine line;
  const std::size_t equals = text.rfind('=');
  std::string left;
  std::string price = text;
  if (equals != std::string::npos) {
    left = text.substr(0, equals);
    price = text.substr(equals + 1);
    if (left.empty()) return Invalid(what + ": no SKU before '=' (SKU[:CATEGORY][xQTY]=PRICE)");
  }
  auto minor = ParseAmountMinor(price, currency, what + ": price");
  if (!minor.ok()) return minor.status();
  line.amount_minor = *minor;
  if (left.empty()) {
    line.sku = "line-" + std::to_string(index);  // a bare price: no product known
    return line;
  }
  const std::size_t x = left.rfind('x');
  if (x != std::string::npos && x > 0 && AllDigits(std::string_view(left).substr(x + 1))) {
    auto quantity = ParseCount(std::string_view(left).substr(x + 1), what + ": quantity");
    if (!quantity.ok()) return quantity.status();
    line.quantity = *quantity;
    left.resize(x);
  }
  const std::size_t colon = left.find(':');
  line.sku = left.substr(0, colon);
  if (colon != std::string::npos) {
    line.category = left.substr(colon + 1);
    if (line.category.empty()) return Invalid(what + ": empty category after ':'");
    if (line.category.find(':') != std::string::npos) {
      return Invalid(what + ": more than one ':' (SKU[:CATEGORY][xQTY]=PRICE)");
    }
  }
  if (line.sku.empty()) return Invalid(what + ": empty SKU (SKU[:CATEGORY][xQTY]=PRICE)");
  return line;
}

}  // namespace

loyalty::Result<std::int64_t> ParseAmountMinor(const std::string& text,
                                               const loyalty::Currency& currency,
                                               const std::string& what, bool allow_zero) {
  auto money = loyalty::Money::Parse(text, currency);
  if (!money.ok()) return Invalid(what + ": " + money.status().message());
  if (money->minor() < 0 || (!allow_zero && money->minor() == 0)) {
    return loyalty::Status(loyalty::StatusCode::kAmountNegative,
                           what + ": " + text + (allow_zero ? " is below zero" : " is not above zero"));
  }
  return money->minor();
}

loyalty::Result<loyalty::Basket> ParseBasket(const std::vector<std::string>& lines,
                                             const loyalty::Currency& currency) {
  loyalty::Basket basket;
  basket.currency = std::string(currency.code());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto line = ParseSaleLine(lines[i], i, currency);
    if (!line.ok()) return line.status();
    basket.lines.push_back(std::move(*line));
  }
  return basket;
}

loyalty::Result<loyalty::Basket> ReadBasketFile(const std::string& path,
                                                const loyalty::Currency& currency) {
  const std::string what = "--basket '" + path + "'";
  std::ifstream in(path, std::ios::binary);
  if (!in) return loyalty::Status(loyalty::StatusCode::kIoError, what + ": cannot read");
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Invalid(what + ": not valid JSON");
  if (!doc.is_object()) return Invalid(what + ": must be an object with \"lines\"");
  loyalty::Basket basket;
  basket.currency = std::string(currency.code());
  for (const auto& [key, value] : doc.items()) {
    if (key == "currency") {
      if (!value.is_string()) return Invalid(what + ": currency: must be a string");
      basket.currency = value.get<std::string>();  // the library checks it is the program's
    } else if (key != "lines") {
      return Invalid(what + ": unknown member \"" + key + "\"");
    }
  }
  const auto lines = doc.find("lines");
  if (lines == doc.end() || !lines->is_array() || lines->empty()) {
    return Invalid(what + ": lines: must be a non-empty array");
  }
  static const std::set<std::string> kMembers = {"sku",    "category",     "quantity",
                                                 "amount", "amount_minor", "voided"};
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const nlohmann::json& item = (*lines)[i];
    const std::string where = what + ": lines[" + std::to_string(i) + "]";
    if (!item.is_object()) return Invalid(where + ": must be an object");
    for (const auto& [key, value] : item.items()) {
      if (!kMembers.count(key)) return Invalid(where + ": unknown member \"" + key + "\"");
    }
    loyalty::BasketLine line;
    if (!item.contains("sku") || !item["sku"].is_string() || item["sku"].get<std::string>().empty()) {
      return Invalid(where + ".sku: must be a non-empty string");
    }
    line.sku = item["sku"].get<std::string>();
    if (item.contains("category")) {
      if (!item["category"].is_string()) return Invalid(where + ".category: must be a string");
      line.category = item["category"].get<std::string>();
    }
    if (item.contains("quantity")) {
      if (!item["quantity"].is_number_integer() || item["quantity"].get<std::int64_t>() < 1) {
        return Invalid(where + ".quantity: must be a whole number of at least 1");
      }
      line.quantity = item["quantity"].get<std::int64_t>();
    }
    const bool has_amount = item.contains("amount");
    if (has_amount == item.contains("amount_minor")) {
      return Invalid(where + ": give exactly one of \"amount\" (\"1.98\") or \"amount_minor\" (198)");
    }
    if (has_amount) {
      if (!item["amount"].is_string()) return Invalid(where + ".amount: must be a string like \"1.98\"");
      auto minor = ParseAmountMinor(item["amount"].get<std::string>(), currency, where + ".amount");
      if (!minor.ok()) return minor.status();
      line.amount_minor = *minor;
    } else {
      if (!item["amount_minor"].is_number_integer() ||
          item["amount_minor"].get<std::int64_t>() < 0) {
        return Invalid(where + ".amount_minor: must be a whole number >= 0");
      }
      line.amount_minor = item["amount_minor"].get<std::int64_t>();
    }
    if (item.contains("voided")) {
      if (!item["voided"].is_boolean()) return Invalid(where + ".voided: must be true or false");
      line.voided = item["voided"].get<bool>();
    }
    basket.lines.push_back(std::move(line));
  }
  return basket;
}

loyalty::Result<loyalty::ReturnLine> ParseReturnLine(const std::string& text,
                                                     const std::string& option) {
  const std::string what = option + " '" + text + "'";
  loyalty::ReturnLine back;
  std::string_view number = text;
  back.quantity = 1;
  if (const std::size_t x = text.find('x'); x != std::string::npos) {
    number = std::string_view(text).substr(0, x);
    auto quantity = ParseCount(std::string_view(text).substr(x + 1), what + ": quantity");
    if (!quantity.ok()) return quantity.status();
    back.quantity = *quantity;
  }
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(),
                                            back.line_no);
  if (!AllDigits(number) || error != std::errc() || end != number.data() + number.size()) {
    return Invalid(what + ": the line number '" + std::string(number) +
                   "' is not a whole number from 0 (LINE[xQTY], lines count from 0)");
  }
  return back;
}

loyalty::Result<loyalty::GiftCardTender> ParseGiftCardTender(const std::string& text,
                                                             const loyalty::Currency& currency) {
  const std::string what = "--gift-card '" + text + "'";
  const std::size_t equals = text.rfind('=');
  if (equals == std::string::npos) return Invalid(what + ": write it as CARD=AMOUNT");
  loyalty::GiftCardTender tender;
  auto card = ParseCard(text.substr(0, equals), what + ": gift card");
  if (!card.ok()) return card.status();
  tender.gift_card = *card;
  auto minor = ParseAmountMinor(text.substr(equals + 1), currency, what + ": amount",
                                /*allow_zero=*/false);
  if (!minor.ok()) return minor.status();
  tender.amount_minor = *minor;
  return tender;
}

loyalty::Result<loyalty::CardId> ParseCard(const std::string& text, const std::string& what) {
  auto card = loyalty::CardId::Parse(text);
  if (!card.ok()) {
    return loyalty::Status(card.status().code(), what + ": " + card.status().message());
  }
  return card;
}

}  // namespace loyalty_demo
