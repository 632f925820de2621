#include "terminal/receipt_json.hpp"

#include <openssl/evp.h>

#include <array>
#include <nlohmann/json.hpp>

namespace loyalty::terminal {
namespace {

using Json = nlohmann::json;

Json RewardsJson(const std::vector<RewardOption>& options) {
  Json list = Json::array();
  for (const auto& o : options) {
    list.push_back({{"id", o.reward_id}, {"name", o.name}, {"cost", o.cost},
                    {"discount", o.discount_minor}, {"available", o.available},
                    {"why_not", o.why_not}, {"explanation", o.explanation}});
  }
  return list;
}

std::vector<RewardOption> RewardsFrom(const Json& list) {
  std::vector<RewardOption> out;
  for (const auto& o : list) {
    out.push_back({o.at("id").get<std::string>(), o.at("name").get<std::string>(),
                   o.at("cost").get<Points>(), o.at("discount").get<std::int64_t>(),
                   o.at("available").get<bool>(), o.at("why_not").get<std::string>(),
                   o.at("explanation").get<std::string>()});
  }
  return out;
}

Json StampsJson(const std::vector<StampProgress>& stamps) {
  Json list = Json::array();
  for (const auto& s : stamps) {
    list.push_back({{"card", s.card}, {"collected", s.collected}, {"spent", s.spent},
                    {"balance", s.balance}, {"needed", s.needed}, {"reward", s.reward}});
  }
  return list;
}

std::vector<StampProgress> StampsFrom(const Json& list) {
  std::vector<StampProgress> out;
  for (const auto& s : list) {
    out.push_back({s.at("card").get<std::string>(), s.at("collected").get<std::int64_t>(),
                   s.at("spent").get<std::int64_t>(), s.at("balance").get<std::int64_t>(),
                   s.at("needed").get<std::int64_t>(), s.at("reward").get<std::string>()});
  }
  return out;
}

Json ToJson(const Receipt& r) {
  Json explanations = Json::array();
  for (const auto& line : r.explanations) {
    explanations.push_back({{"rule", line.rule}, {"points", line.points},
                            {"text", line.explanation}});
  }
  return Json{{"op_id", r.op_id},
              {"discount", r.discount_minor},
              {"held", r.held},
              {"stored_value", r.stored_value_minor},
              {"line_points", r.line_points},
              {"vouchers", r.vouchers},
              {"coupons_issued", r.coupons_issued},
              {"stamps", StampsJson(r.stamps)},
              {"explanations", explanations},
              {"account_id", r.account_id},
              {"card", r.card_masked},
              {"earned", r.earned},
              {"redeemed", r.redeemed},
              {"entries", r.entry_seqs},
              {"after",
               {{"account_id", r.after.account_id},
                {"name", r.after.name},
                {"card", r.after.card_masked},
                {"available", r.after.available},
                {"pending", r.after.pending},
                {"held", r.after.held},
                {"wallet", r.after.wallet_minor},
                {"balance", r.after.balance},
                {"tier", r.after.tier},
                {"segment", r.after.segment},
                {"rewards", RewardsJson(r.after.rewards)},
                {"stamps", StampsJson(r.after.stamps)},
                {"blocked", r.after.blocked}}}};
}

Receipt FromJsonValue(const Json& j) {
  Receipt r;
  r.op_id = j.at("op_id").get<std::string>();
  r.account_id = j.at("account_id").get<std::string>();
  r.card_masked = j.at("card").get<std::string>();
  r.earned = j.at("earned").get<Points>();
  r.redeemed = j.at("redeemed").get<Points>();
  r.entry_seqs = j.at("entries").get<std::vector<std::int64_t>>();
  r.discount_minor = j.at("discount").get<std::int64_t>();
  r.held = j.at("held").get<Points>();
  r.stored_value_minor = j.at("stored_value").get<std::int64_t>();
  r.line_points = j.at("line_points").get<std::vector<Points>>();
  r.vouchers = j.at("vouchers").get<std::vector<std::string>>();
  r.coupons_issued = j.at("coupons_issued").get<std::vector<std::string>>();
  r.stamps = StampsFrom(j.at("stamps"));
  r.after.stamps = StampsFrom(j.at("after").at("stamps"));
  for (const auto& line : j.at("explanations")) {
    r.explanations.push_back({line.at("rule").get<std::string>(),
                              line.at("points").get<Points>(),
                              line.at("text").get<std::string>()});
  }
  const Json& a = j.at("after");
  r.after.account_id = a.at("account_id").get<std::string>();
  r.after.name = a.at("name").get<std::string>();
  r.after.card_masked = a.at("card").get<std::string>();
  r.after.available = a.at("available").get<Points>();
  r.after.pending = a.at("pending").get<Points>();
  r.after.held = a.at("held").get<Points>();
  r.after.wallet_minor = a.at("wallet").get<std::int64_t>();
  r.after.balance = a.at("balance").get<Points>();
  r.after.tier = a.at("tier").get<std::string>();
  r.after.segment = a.at("segment").get<std::string>();
  r.after.rewards = RewardsFrom(a.at("rewards"));
  r.after.blocked = a.at("blocked").get<bool>();
  return r;
}

}  // namespace

std::string ReceiptToJson(const Receipt& receipt) { return ToJson(receipt).dump(); }

Result<Receipt> ReceiptFromJson(const std::string& json) {
  try {
    return FromJsonValue(Json::parse(json));
  } catch (const Json::exception& e) {
    return Status(StatusCode::kDatabaseCorrupt,
                  std::string("stored receipt is unreadable: ") + e.what());
  }
}

std::string ReceiptsToJson(const std::vector<Receipt>& receipts) {
  Json list = Json::array();
  for (const auto& r : receipts) list.push_back(ToJson(r));
  return list.dump();
}

Result<std::vector<Receipt>> ReceiptsFromJson(const std::string& json) {
  try {
    std::vector<Receipt> out;
    for (const auto& item : Json::parse(json)) out.push_back(FromJsonValue(item));
    return out;
  } catch (const Json::exception& e) {
    return Status(StatusCode::kDatabaseCorrupt,
                  std::string("stored receipts are unreadable: ") + e.what());
  }
}

std::string HoldToJson(const Basket& basket, const Quote& quote) {
  Json lines = Json::array();
  for (const auto& l : basket.lines) {
    lines.push_back({{"sku", l.sku}, {"category", l.category}, {"quantity", l.quantity},
                     {"amount", l.amount_minor}, {"voided", l.voided}});
  }
  Json explanations = Json::array();
  for (const auto& line : quote.lines) {
    explanations.push_back({{"rule", line.rule}, {"points", line.points},
                            {"text", line.explanation}});
  }
  return Json{{"currency", basket.currency},
              {"lines", lines},
              {"basket", quote.basket_minor},
              {"discount", quote.discount_minor},
              {"earn", quote.points_to_earn},
              {"spend", quote.points_to_spend},
              {"line_points", quote.line_points},
              {"line_discounts", quote.line_discounts},
              {"line_stamps", quote.line_stamps},
              {"coupons_to_issue", quote.coupons_to_issue},
              {"stamps", StampsJson(quote.stamps)},
              {"explanations", explanations}}
      .dump();
}

Result<std::pair<Basket, Quote>> HoldFromJson(const std::string& json) {
  try {
    const Json j = Json::parse(json);
    Basket basket;
    basket.currency = j.at("currency").get<std::string>();
    for (const auto& l : j.at("lines")) {
      basket.lines.push_back({l.at("sku").get<std::string>(),
                              l.at("category").get<std::string>(),
                              l.at("quantity").get<std::int64_t>(),
                              l.at("amount").get<std::int64_t>(), l.at("voided").get<bool>()});
    }
    Quote quote;
    quote.currency = basket.currency;
    quote.basket_minor = j.at("basket").get<std::int64_t>();
    quote.discount_minor = j.at("discount").get<std::int64_t>();
    quote.points_to_earn = j.at("earn").get<Points>();
    quote.points_to_spend = j.at("spend").get<Points>();
    quote.line_points = j.at("line_points").get<std::vector<Points>>();
    quote.line_discounts = j.at("line_discounts").get<std::vector<std::int64_t>>();
    quote.line_stamps = j.at("line_stamps").get<std::vector<std::int64_t>>();
    quote.coupons_to_issue = j.at("coupons_to_issue").get<std::vector<std::string>>();
    quote.stamps = StampsFrom(j.at("stamps"));
    for (const auto& line : j.at("explanations")) {
      quote.lines.push_back({line.at("rule").get<std::string>(),
                             line.at("points").get<Points>(),
                             line.at("text").get<std::string>()});
    }
    return std::make_pair(std::move(basket), std::move(quote));
  } catch (const Json::exception& e) {
    return Status(StatusCode::kDatabaseCorrupt,
                  std::string("stored reservation is unreadable: ") + e.what());
  }
}

RequestDigest& RequestDigest::Add(std::string_view field) {
  Add(static_cast<std::int64_t>(field.size()));
  data_.append(field);
  return *this;
}

RequestDigest& RequestDigest::Add(std::int64_t field) {
  const auto u = static_cast<std::uint64_t>(field);
  for (int shift = 56; shift >= 0; shift -= 8) {
    data_.push_back(static_cast<char>((u >> shift) & 0xff));
  }
  return *this;
}

std::string RequestDigest::Finish() const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  EVP_Digest(data_.data(), data_.size(), out.data(), &length, EVP_sha256(), nullptr);
  return {reinterpret_cast<const char*>(out.data()), length};
}

}  // namespace loyalty::terminal
