#include "sync/wire.hpp"

#include <nlohmann/json.hpp>

#include "loyalty/account.hpp"
#include "trust/codec.hpp"

namespace loyalty::sync {

using nlohmann::json;

namespace {

json Optional(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json EntryJson(const ledger::EntryRecord& e) {
  return json{{"seq", e.seq},
              {"op_id", e.op_id},
              {"kind", EntryKindName(e.kind)},
              {"account_id", e.account_id},
              {"points", e.points},
              {"amount_minor", e.amount_minor},
              {"currency", e.currency},
              {"reverses_seq", Optional(e.reverses_seq)},
              {"pending_until", Optional(e.pending_until)},
              {"expires_at", Optional(e.expires_at)},
              {"at", e.at},
              {"note", e.note},
              {"units", Optional(e.units)},
              {"ref", e.ref ? json(*e.ref) : json(nullptr)},
              {"mac", trust::ToHex(e.mac)}};
}

// A field's problem becomes "unreadable" with its name; the caller adds
// which document it was.
struct Reader {
  const json& doc;
  std::string* problem;

  bool Has(const char* key) const { return doc.contains(key) && !doc[key].is_null(); }

  std::int64_t Int(const char* key, bool required = true) const {
    if (!Has(key)) {
      if (required && problem->empty()) *problem = std::string(key) + " is missing";
      return 0;
    }
    const json& v = doc[key];
    if (!v.is_number_integer()) {
      if (problem->empty()) *problem = std::string(key) + " is not an integer";
      return 0;
    }
    return v.get<std::int64_t>();
  }

  std::optional<std::int64_t> OptInt(const char* key) const {
    if (!Has(key)) return std::nullopt;
    return Int(key);
  }

  std::string Text(const char* key, bool required = true) const {
    if (!Has(key)) {
      if (required && problem->empty()) *problem = std::string(key) + " is missing";
      return {};
    }
    const json& v = doc[key];
    if (!v.is_string()) {
      if (problem->empty()) *problem = std::string(key) + " is not a string";
      return {};
    }
    return v.get<std::string>();
  }

  std::string Hex(const char* key, bool required = true) const {
    const std::string text = Text(key, required);
    auto raw = trust::FromHex(text);
    if (!raw) {
      if (problem->empty()) *problem = std::string(key) + " is not hex";
      return {};
    }
    return *raw;
  }

  std::string Base64(const char* key) const {
    const std::string text = Text(key);
    auto raw = trust::FromBase64(text);
    if (!raw) {
      if (problem->empty()) *problem = std::string(key) + " is not base64";
      return {};
    }
    return *raw;
  }

  bool Bool(const char* key) const {
    if (!Has(key)) return false;
    if (!doc[key].is_boolean()) {
      if (problem->empty()) *problem = std::string(key) + " is not a boolean";
      return false;
    }
    return doc[key].get<bool>();
  }

  const json* Array(const char* key) const {
    if (!Has(key)) return nullptr;
    if (!doc[key].is_array()) {
      if (problem->empty()) *problem = std::string(key) + " is not an array";
      return nullptr;
    }
    return &doc[key];
  }
};

Result<json> ParseObject(const std::string& body, const char* what) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status(StatusCode::kNetworkError,
                  std::string("unreadable ") + what + ": not a JSON object (" +
                      std::to_string(body.size()) + " bytes)");
  }
  return doc;
}

Status Unreadable(const char* what, const std::string& problem) {
  return {StatusCode::kNetworkError, std::string("unreadable ") + what + ": " + problem};
}

std::vector<WireCard> ReadCards(const json* cards, std::string* problem) {
  std::vector<WireCard> out;
  if (cards == nullptr) return out;
  for (const json& c : *cards) {
    if (!c.is_object()) {
      *problem = "cards[] is not an object";
      break;
    }
    Reader r{c, problem};
    WireCard card;
    card.card_hash = r.Hex("card_hash");
    card.masked = r.Text("masked", false);
    card.blocked = r.Bool("blocked");
    card.enrolled_at = r.Int("enrolled_at", false);
    out.push_back(std::move(card));
  }
  return out;
}

BalanceSnapshot ReadBalance(const json& b, std::string* problem) {
  Reader r{b, problem};
  BalanceSnapshot snapshot;
  snapshot.account_id = r.Text("account_id");
  snapshot.points = r.Int("points");
  snapshot.version = r.Int("version");
  snapshot.includes_through_seq = r.Int("includes_through_seq");
  snapshot.name = r.Text("name", false);
  snapshot.cards = ReadCards(r.Array("cards"), problem);
  return snapshot;
}

}  // namespace

struct BatchBody::Parts {
  json entries = json::array();
  json accounts = json::array();
  json gift_cards = json::array();
  json coupons = json::array();
  json coupon_uses = json::array();
};

BatchBody::BatchBody(std::string terminal_id, std::string batch_id, std::string prev_mac)
    : parts_(std::make_unique<Parts>()),
      terminal_id_(std::move(terminal_id)),
      batch_id_(std::move(batch_id)),
      prev_mac_(std::move(prev_mac)) {
  size_ = Finish().size();
}

BatchBody::~BatchBody() = default;
BatchBody::BatchBody(BatchBody&&) noexcept = default;

std::size_t BatchBody::SizeWith(const ledger::EntryRecord& entry) const {
  return size_ + EntryJson(entry).dump().size() + 1;
}

void BatchBody::Add(const ledger::EntryRecord& entry) {
  if (count_ == 0) first_seq_ = entry.seq;
  last_seq_ = entry.seq;
  ++count_;
  size_ = SizeWith(entry);
  parts_->entries.push_back(EntryJson(entry));
}

void BatchBody::AddAccount(const WireAccount& account) {
  json cards = json::array();
  for (const WireCard& c : account.cards) {
    cards.push_back({{"card_hash", trust::ToHex(c.card_hash)},
                     {"masked", c.masked},
                     {"blocked", c.blocked},
                     {"enrolled_at", c.enrolled_at}});
  }
  json a{{"account_id", account.account_id}, {"name", account.name}, {"cards", cards}};
  size_ += a.dump().size() + 1;
  parts_->accounts.push_back(std::move(a));
}

void BatchBody::AddGiftCard(const WireGiftCard& gift_card) {
  json g{{"account_id", gift_card.account_id},
         {"card_hash", trust::ToHex(gift_card.card_hash)},
         {"masked", gift_card.masked}};
  size_ += g.dump().size() + 1;
  parts_->gift_cards.push_back(std::move(g));
}

void BatchBody::AddCoupon(const WireCoupon& coupon) {
  json c{{"code", coupon.code},
         {"coupon_id", coupon.coupon_id},
         {"account_id", coupon.account_id},
         {"uses", Optional(coupon.uses)},
         {"expires_at", Optional(coupon.expires_at)}};
  size_ += c.dump().size() + 1;
  parts_->coupons.push_back(std::move(c));
}

void BatchBody::AddCouponUse(const WireCouponUse& use) {
  json u{{"code", use.code},
         {"op_id", use.op_id},
         {"account_id", use.account_id},
         {"reversed", use.reversed}};
  size_ += u.dump().size() + 1;
  parts_->coupon_uses.push_back(std::move(u));
}

std::string BatchBody::Finish() const {
  const json body{{"protocol", kProtocol},
                  {"terminal_id", terminal_id_},
                  {"batch_id", batch_id_},
                  {"first_seq", first_seq_},
                  {"last_seq", last_seq_},
                  {"prev_mac", trust::ToHex(prev_mac_)},
                  {"entries", parts_->entries},
                  {"accounts", parts_->accounts},
                  {"gift_cards", parts_->gift_cards},
                  {"coupons", parts_->coupons},
                  {"coupon_uses", parts_->coupon_uses}};
  // Replacement characters rather than an exception for a note that is not
  // UTF-8: the entry's mac still covers the stored bytes.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<PushAnswer> ParsePushAnswer(const std::string& body) {
  auto doc = ParseObject(body, "push answer");
  if (!doc.ok()) return doc.status();
  std::string problem;
  Reader r{*doc, &problem};
  PushAnswer answer;
  answer.batch_id = r.Text("batch_id");
  answer.acked_through_seq = r.Int("acked_through_seq");
  answer.halted = r.Bool("halted");
  answer.server_time = r.Int("server_time", false);
  if (const json* results = r.Array("results")) {
    for (const json& item : *results) {
      if (!item.is_object()) return Unreadable("push answer", "results[] is not an object");
      Reader ir{item, &problem};
      answer.results.push_back({ir.Int("seq"), ir.Text("status"), ir.Text("reason", false)});
    }
  }
  if (const json* balances = r.Array("balances")) {
    for (const json& item : *balances) {
      if (!item.is_object()) return Unreadable("push answer", "balances[] is not an object");
      answer.balances.push_back(ReadBalance(item, &problem));
    }
  }
  if (r.Has("receipt")) {
    const json& rec = (*doc)["receipt"];
    if (!rec.is_object()) return Unreadable("push answer", "receipt is not an object");
    Reader rr{rec, &problem};
    ServerReceipt receipt;
    receipt.terminal_id = rr.Text("terminal_id");
    receipt.seq = rr.Int("seq");
    receipt.mac = rr.Hex("mac");
    receipt.server_time = rr.Int("server_time");
    receipt.signature = rr.Base64("signature");
    answer.receipt = std::move(receipt);
  }
  if (!problem.empty()) return Unreadable("push answer", problem);
  return answer;
}

Result<ErrorAnswer> ParseErrorAnswer(const std::string& body) {
  auto doc = ParseObject(body, "error answer");
  if (!doc.ok()) return doc.status();
  std::string problem;
  Reader r{*doc, &problem};
  ErrorAnswer answer;
  answer.error = r.Text("error");
  answer.reason = r.Text("reason", false);
  answer.expected_seq = r.OptInt("expected_seq");
  answer.server_time = r.OptInt("server_time");
  answer.seq = r.OptInt("seq");
  if (!problem.empty()) return Unreadable("error answer", problem);
  return answer;
}

Result<ChangesPage> ParseChangesPage(const std::string& body) {
  auto doc = ParseObject(body, "changes page");
  if (!doc.ok()) return doc.status();
  std::string problem;
  Reader r{*doc, &problem};
  ChangesPage page;
  page.next_cursor = r.Text("next_cursor");
  page.has_more = r.Bool("has_more");
  page.server_time = r.Int("server_time", false);
  if (const json* changes = r.Array("changes")) {
    for (const json& item : *changes) {
      if (!item.is_object()) return Unreadable("changes page", "changes[] is not an object");
      Reader cr{item, &problem};
      Change change;
      change.kind = cr.Text("kind");
      if (change.kind == "balance") {
        change.balance = ReadBalance(item, &problem);
        change.version = change.balance.version;
      } else if (change.kind == "hotlist") {
        change.card_hash = cr.Hex("card_hash");
        change.state = cr.Text("state");
        change.version = cr.Int("version");
      } else if (change.kind == "program") {
        change.version = cr.Int("version");
        change.document = cr.Text("document");
        change.signature = cr.Base64("signature");
      } else if (change.kind == "policy") {
        change.version = cr.Int("version", false);
        change.offline_after_ms = cr.OptInt("offline_after_ms");
        change.offline_redeem_cap = cr.OptInt("offline_redeem_cap_per_card_per_day");
      } else if (change.kind == "stored_value") {
        StoredValueSnapshot& v = change.stored_value;
        v.account_id = cr.Text("account_id");
        v.ref = cr.Text("ref");
        if (v.ref != "gift" && v.ref != "wallet" && problem.empty()) {
          problem = "stored_value ref '" + v.ref + "' is neither gift nor wallet";
        }
        v.balance_minor = cr.Int("balance_minor");
        v.version = cr.Int("version");
        v.includes_through_seq = cr.Int("includes_through_seq");
        change.version = v.version;
        if (cr.Has("gift_card")) {
          const json& g = item["gift_card"];
          if (!g.is_object()) return Unreadable("changes page", "gift_card is not an object");
          Reader gr{g, &problem};
          v.gift_card = WireGiftCard{v.account_id, gr.Hex("card_hash"), gr.Text("masked", false)};
          if (v.gift_card->card_hash.size() != 32 && problem.empty()) {
            problem = "gift_card.card_hash is not 32 bytes";
          }
        }
      } else if (change.kind == "coupon") {
        CouponState& c = change.coupon;
        c.code = cr.Text("code");
        c.coupon_id = cr.Text("coupon_id");
        c.account_id = cr.Text("account_id", false);
        c.uses_left = cr.OptInt("uses_left");
        c.expires_at = cr.OptInt("expires_at");
        change.version = cr.Int("version");
        if (c.code.empty() && problem.empty()) problem = "coupon code is empty";
      }
      page.changes.push_back(std::move(change));
    }
  }
  if (page.next_cursor.size() > 128) problem = "next_cursor is longer than 128 characters";
  if (!problem.empty()) return Unreadable("changes page", problem);
  return page;
}

std::string ReceiptMessage(const ServerReceipt& receipt) {
  return "loyalty-receipt-v1\n" + receipt.terminal_id + "\n" + std::to_string(receipt.seq) +
         "\n" + trust::ToHex(receipt.mac) + "\n" + std::to_string(receipt.server_time);
}

}  // namespace loyalty::sync
