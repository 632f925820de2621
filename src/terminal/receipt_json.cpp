#include "terminal/receipt_json.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <string_view>
#include <nlohmann/json.hpp>

namespace loyalty::terminal {
namespace {

using Json = nlohmann::json;

// A key that receipts and reservations stored by an older library may
// lack (it came with a later feature): what the feature's absence means.
// Keys every stored version has are read with at(), so a damaged record
// still fails.
template <typename T>
T Later(const Json& j, const char* key, T absent) {
  return j.contains(key) ? j.at(key).get<T>() : absent;
}

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
  if (list.is_null()) return out;  // stored before stamp cards
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
  // Receipts stored by older libraries lack what came later: rewards and
  // explanations (schema 3), stamps (4), reservations (7), coupons (8),
  // money tenders (9).
  r.discount_minor = Later<std::int64_t>(j, "discount", 0);
  r.held = Later<Points>(j, "held", 0);
  r.stored_value_minor = Later<std::int64_t>(j, "stored_value", 0);
  r.line_points = Later<std::vector<Points>>(j, "line_points", {});
  r.vouchers = Later<std::vector<std::string>>(j, "vouchers", {});
  r.coupons_issued = Later<std::vector<std::string>>(j, "coupons_issued", {});
  r.stamps = StampsFrom(Later<Json>(j, "stamps", Json()));
  r.after.stamps = StampsFrom(Later<Json>(j.at("after"), "stamps", Json()));
  for (const auto& line : Later<Json>(j, "explanations", Json::array())) {
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
  r.after.held = Later<Points>(a, "held", 0);
  r.after.wallet_minor = Later<std::int64_t>(a, "wallet", 0);
  r.after.balance = a.at("balance").get<Points>();
  r.after.tier = a.at("tier").get<std::string>();
  r.after.segment = Later<std::string>(a, "segment", "");
  r.after.rewards = RewardsFrom(Later<Json>(a, "rewards", Json::array()));
  r.after.blocked = a.at("blocked").get<bool>();
  return r;
}

}  // namespace

// The stored receipt, written straight into one string: every sale pays
// for it, and building a json tree first cost a fifth of an earn's CPU. The
// bytes are what ToJson(receipt).dump() gives (keys in nlohmann's sorted
// order, compact, its escapes); receipt_json_test compares the two.
class ReceiptWriter {
 public:
  std::string Take() { return std::move(out_); }

  void Write(const loyalty::Receipt& r) {
    out_.reserve(512 + 256 * r.after.rewards.size());
    Open('{');
    Key("account_id").Text(r.account_id);
    Key("after");
    View(r.after);
    Key("card").Text(r.card_masked);
    Key("coupons_issued").Texts(r.coupons_issued);
    Key("discount").Int(r.discount_minor);
    Key("earned").Int(r.earned);
    Key("entries").Ints(r.entry_seqs);
    Key("explanations");
    Open('[');
    for (const QuoteLine& line : r.explanations) {
      Comma();
      Open('{');
      Key("points").Int(line.points);
      Key("rule").Text(line.rule);
      Key("text").Text(line.explanation);
      Close('}');
    }
    Close(']');
    Key("held").Int(r.held);
    Key("line_points").Ints(r.line_points);
    Key("op_id").Text(r.op_id);
    Key("redeemed").Int(r.redeemed);
    Key("stamps");
    Stamps(r.stamps);
    Key("stored_value").Int(r.stored_value_minor);
    Key("vouchers").Texts(r.vouchers);
    Close('}');
  }

 private:
  void View(const CardView& v) {
    Open('{');
    Key("account_id").Text(v.account_id);
    Key("available").Int(v.available);
    Key("balance").Int(v.balance);
    Key("blocked").Bool(v.blocked);
    Key("card").Text(v.card_masked);
    Key("held").Int(v.held);
    Key("name").Text(v.name);
    Key("pending").Int(v.pending);
    Key("rewards");
    Open('[');
    for (const RewardOption& o : v.rewards) {
      Comma();
      Open('{');
      Key("available").Bool(o.available);
      Key("cost").Int(o.cost);
      Key("discount").Int(o.discount_minor);
      Key("explanation").Text(o.explanation);
      Key("id").Text(o.reward_id);
      Key("name").Text(o.name);
      Key("why_not").Text(o.why_not);
      Close('}');
    }
    Close(']');
    Key("segment").Text(v.segment);
    Key("stamps");
    Stamps(v.stamps);
    Key("tier").Text(v.tier);
    Key("wallet").Int(v.wallet_minor);
    Close('}');
  }

  void Stamps(const std::vector<StampProgress>& stamps) {
    Open('[');
    for (const StampProgress& s : stamps) {
      Comma();
      Open('{');
      Key("balance").Int(s.balance);
      Key("card").Text(s.card);
      Key("collected").Int(s.collected);
      Key("needed").Int(s.needed);
      Key("reward").Text(s.reward);
      Key("spent").Int(s.spent);
      Close('}');
    }
    Close(']');
  }

  // A comma before every member or element but the first of its container.
  void Comma() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  void Open(char bracket) {
    out_.push_back(bracket);
    first_ = true;
  }
  void Close(char bracket) {
    out_.push_back(bracket);
    first_ = false;
  }
  ReceiptWriter& Key(std::string_view key) {
    Comma();
    out_.push_back('"');
    out_.append(key);
    out_.append("\":");
    return *this;
  }
  void Int(std::int64_t v) {
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out_.append(buf, end);
  }
  void Bool(bool v) { out_.append(v ? "true" : "false"); }
  void Text(std::string_view text) {
    // Plain printable ASCII is copied; anything else (escapes, UTF-8, and
    // the exception invalid UTF-8 throws) is left to nlohmann.
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
        out_.append(Json(std::string(text)).dump());
        return;
      }
    }
    out_.push_back('"');
    out_.append(text);
    out_.push_back('"');
  }
  void Ints(const std::vector<std::int64_t>& values) {
    Open('[');
    for (const std::int64_t v : values) {
      Comma();
      Int(v);
    }
    Close(']');
  }
  void Texts(const std::vector<std::string>& values) {
    Open('[');
    for (const std::string& v : values) {
      Comma();
      Text(v);
    }
    Close(']');
  }

  std::string out_;
  bool first_ = true;
};

std::string ReceiptToJson(const Receipt& receipt) {
  ReceiptWriter writer;
  writer.Write(receipt);
  return writer.Take();
}

std::string ReceiptToJsonTree(const Receipt& receipt) { return ToJson(receipt).dump(); }

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
    // Reservations stored before coupons (schema 8) lack it.
    quote.coupons_to_issue = Later<std::vector<std::string>>(j, "coupons_to_issue", {});
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
