// Receipts stored for idempotent replay, as JSON.
#pragma once

#include <string>
#include <vector>

#include "loyalty/quote.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/status.hpp"

namespace loyalty::terminal {

std::string ReceiptToJson(const Receipt& receipt);
// The same bytes through a nlohmann::json tree: what ReceiptToJson must
// match (tests compare them).
std::string ReceiptToJsonTree(const Receipt& receipt);
Result<Receipt> ReceiptFromJson(const std::string& json);
std::string ReceiptsToJson(const std::vector<Receipt>& receipts);
Result<std::vector<Receipt>> ReceiptsFromJson(const std::string& json);

// What a reservation keeps to book the earn half later.
std::string HoldToJson(const Basket& basket, const Quote& quote);
Result<std::pair<Basket, Quote>> HoldFromJson(const std::string& json);

// SHA-256 over length-prefixed fields: what "the same request" means.
class RequestDigest {
 public:
  RequestDigest& Add(std::string_view field);
  RequestDigest& Add(std::int64_t field);
  std::string Finish() const;  // 32 bytes

 private:
  std::string data_;
};

}  // namespace loyalty::terminal
