#include "engine/program_parser.hpp"

#include "common/limits.hpp"

#include <algorithm>
#include <string>

#include "engine/program_checker.hpp"

// The program document as a whole: its top-level fields, the small
// sections (exclusions, caps, reservations, tender, points), the sections
// parsed elsewhere (engine/program_checker.hpp) and the names used across
// them.
namespace loyalty::engine {
namespace {

using namespace parse;

// Names used across sections must exist: a rule for tier "gld" is a typo.
void CrossCheck(Checker& check, const Program& program) {
  for (size_t i = 0; i < program.stamp_cards.size(); ++i) {
    const StampCard& card = program.stamp_cards[i];
    const Reward* reward = program.FindReward(card.reward);
    if (reward == nullptr) {
      check.Problem("stamp_cards[" + std::to_string(i) + "].reward",
                    "\"" + card.reward + "\" is not a reward of this program");
    } else if (reward->stamp_card != card.id) {
      check.Problem("stamp_cards[" + std::to_string(i) + "].reward",
                    "reward \"" + card.reward + "\" must say \"stamp_card\": \"" + card.id + "\"");
    }
  }
  for (size_t i = 0; i < program.rewards.size(); ++i) {
    const std::string& card = program.rewards[i].stamp_card;
    if (!card.empty() && program.FindStampCard(card) == nullptr) {
      check.Problem("rewards[" + std::to_string(i) + "].stamp_card",
                    "\"" + card + "\" is not a stamp card of this program");
    }
  }
  auto known_tier = [&](const std::string& id) { return program.FindTier(id) != nullptr; };
  for (size_t i = 0; i < program.rules.size(); ++i) {
    const auto& tiers = program.rules[i].audience.tiers;
    for (size_t t = 0; t < tiers.size(); ++t) {
      if (!known_tier(tiers[t])) {
        check.Problem("rules[" + std::to_string(i) + "].tiers[" + std::to_string(t) + "]",
                      "\"" + tiers[t] + "\" is not a tier of this program");
      }
    }
  }
  for (size_t i = 0; i < program.rules.size(); ++i) {
    const std::string& coupon = program.rules[i].issue_coupon;
    if (!coupon.empty() && program.FindCoupon(coupon) == nullptr) {
      check.Problem("rules[" + std::to_string(i) + "].issue_coupon",
                    "\"" + coupon + "\" is not a coupon of this program");
    }
  }
  for (size_t i = 0; i < program.rewards.size(); ++i) {
    const std::string& tier = program.rewards[i].min_tier;
    if (!tier.empty() && !known_tier(tier)) {
      check.Problem("rewards[" + std::to_string(i) + "].min_tier",
                    "\"" + tier + "\" is not a tier of this program");
    }
  }
}

// The most entries of any one array in `v` (nesting is bounded by now).
std::size_t LongestList(const Json& v) {
  std::size_t most = v.is_array() ? v.size() : 0;
  if (v.is_structured()) {
    for (const Json& child : v) most = std::max(most, LongestList(child));
  }
  return most;
}

}  // namespace

Result<Program> ParseProgram(std::string_view json_text) {
  // Limits first (docs/limits.md): a file of any size, nesting or length
  // of list is refused before it costs more than reading it.
  if (json_text.size() > limits::kMaxProgramBytes) {
    return Status(StatusCode::kProgramInvalid,
                  "program: " + std::to_string(json_text.size()) +
                      " bytes, larger than the limit of " +
                      std::to_string(limits::kMaxProgramBytes));
  }
  struct TooDeep {};
  struct TooLong {};
  Json doc;
  try {
    // The parser itself keeps no recursion; the callback stops a document
    // nested deeper than any program is while it is read, before anything
    // (a message, a walk) recurses over it.
    doc = Json::parse(json_text.begin(), json_text.end(),
                      [](int depth, Json::parse_event_t, Json&) {
                        // depth counts from 0 at the document's own object.
                        if (depth >= limits::kMaxProgramDepth) throw TooDeep{};
                        return true;
                      });
    if (LongestList(doc) > limits::kMaxProgramItems) throw TooLong{};
  } catch (const TooDeep&) {
    return Status(StatusCode::kProgramInvalid,
                  "program: nested deeper than the limit of " +
                      std::to_string(limits::kMaxProgramDepth));
  } catch (const TooLong&) {
    return Status(StatusCode::kProgramInvalid,
                  "program: a list has more entries than the limit of " +
                      std::to_string(limits::kMaxProgramItems));
  } catch (const Json::parse_error& e) {
    return Status(StatusCode::kProgramInvalid,
                  "program: not valid JSON at byte " + std::to_string(e.byte));
  } catch (const Json::exception&) {
    // A number too large for any JSON number type is out_of_range, not a
    // parse_error (found by fuzz/program_fuzz).
    return Status(StatusCode::kProgramInvalid, "program: a number is out of range");
  }
  if (!doc.is_object()) {
    return Status(StatusCode::kProgramInvalid, "program: must be a JSON object");
  }
  Checker check;
  Program program;
  check.OnlyKnownKeys(doc, "",
                      {"format", "id", "version", "name", "currency", "time_zone", "earn",
                       "rules", "exclusions", "caps", "bonuses", "tiers", "segments",
                       "rewards", "coupons", "stamp_cards", "tender", "reservations",
                       "points", "cards"});
  std::int64_t format = 1;
  check.Integer(doc, "", "format", 1, 1, format, true);
  program.format = static_cast<int>(format);
  check.Text(doc, "", "id", program.id, true);
  if (doc.contains("id") && doc.at("id").is_string() && program.id.empty()) {
    check.Problem("id", "must not be empty");
  }
  check.Integer(doc, "", "version", 1, INT64_MAX, program.version, true);
  check.Text(doc, "", "name", program.name);
  std::string currency = "";
  check.Text(doc, "", "currency", currency, true);
  if (!currency.empty() || doc.contains("currency")) {
    auto parsed = Currency::FromCode(currency);
    if (parsed.ok()) {
      program.currency = *parsed;
    } else if (doc.contains("currency") && doc.at("currency").is_string()) {
      check.Problem("currency", parsed.status().message());
    }
  }
  check.Text(doc, "", "time_zone", program.time_zone);

  if (const Json* earn = check.Object(doc, "", "earn")) ParseEarn(check, *earn, program);
  if (doc.contains("rules")) ParseRules(check, doc.at("rules"), program);
  if (!doc.contains("earn") && !doc.contains("rules")) {
    check.Problem("earn", "is required (or a list of rules)");
  }
  if (const Json* ex = check.Object(doc, "", "exclusions")) {
    check.OnlyKnownKeys(*ex, "exclusions", {"products", "categories"});
    program.excluded = ParseFilter(check, *ex, "exclusions");
  }
  if (const Json* caps = check.Object(doc, "", "caps")) {
    check.OnlyKnownKeys(*caps, "caps", {"per_receipt", "per_day"});
    std::int64_t cap = -1;
    check.Integer(*caps, "caps", "per_receipt", 0, INT64_MAX, cap);
    if (cap >= 0) program.cap_per_receipt = cap;
    cap = -1;
    check.Integer(*caps, "caps", "per_day", 0, INT64_MAX, cap);
    if (cap >= 0) program.cap_per_day = cap;
  }
  if (const Json* bonuses = check.Object(doc, "", "bonuses")) {
    ParseBonuses(check, *bonuses, program);
  }
  if (const Json* tiers = check.Object(doc, "", "tiers")) ParseTiers(check, *tiers, program);
  if (const Json* segments = check.Object(doc, "", "segments")) {
    ParseSegments(check, *segments, program);
  }
  if (doc.contains("rewards")) ParseRewards(check, doc.at("rewards"), program);
  if (doc.contains("coupons")) ParseRewards(check, doc.at("coupons"), program, "coupons");
  if (doc.contains("stamp_cards")) ParseStampCards(check, doc.at("stamp_cards"), program);
  if (const Json* holds = check.Object(doc, "", "reservations")) {
    check.OnlyKnownKeys(*holds, "reservations", {"hold_minutes"});
    std::int64_t minutes = program.hold_minutes;
    check.Integer(*holds, "reservations", "hold_minutes", 1, std::int64_t{7} * 24 * 60, minutes);
    program.hold_minutes = static_cast<int>(minutes);
  }
  if (const Json* tender = check.Object(doc, "", "tender")) {
    check.OnlyKnownKeys(*tender, "tender", {"point_value"});
    if (auto v = ParseAmount(check, *tender, "tender", "point_value", program.currency, true)) {
      program.point_value_minor = *v;
    }
  }
  if (const Json* points = check.Object(doc, "", "points")) {
    check.OnlyKnownKeys(*points, "points",
                        {"pending_days", "expiry_days", "expire_at_end_of", "periods_after",
                         "inactivity_days"});
    std::string period;
    check.Text(*points, "points", "expire_at_end_of", period);
    if (period == "month") {
      program.expire_at_end_of = Program::Period::kMonth;
    } else if (period == "quarter") {
      program.expire_at_end_of = Program::Period::kQuarter;
    } else if (period == "year") {
      program.expire_at_end_of = Program::Period::kYear;
    } else if (!period.empty()) {
      check.Problem("points.expire_at_end_of",
                    "must be \"month\", \"quarter\" or \"year\", got \"" + period + "\"");
    }
    std::int64_t periods_after = 0;
    check.Integer(*points, "points", "periods_after", 0, 100, periods_after);
    program.expiry_periods_after = static_cast<int>(periods_after);
    std::int64_t inactivity = 0;
    check.Integer(*points, "points", "inactivity_days", 0, 36500, inactivity);
    program.inactivity_days = static_cast<int>(inactivity);
    if (!period.empty() && points->contains("expiry_days")) {
      check.Problem("points.expire_at_end_of", "give either expiry_days or expire_at_end_of");
    }
    std::int64_t pending = 0;
    std::int64_t expiry = 0;
    check.Integer(*points, "points", "pending_days", 0, 3650, pending);
    check.Integer(*points, "points", "expiry_days", 0, 36500, expiry);
    program.pending_days = static_cast<int>(pending);
    program.expiry_days = static_cast<int>(expiry);
    if (expiry != 0 && expiry <= pending) {
      check.Problem("points.expiry_days",
                    "must be longer than points.pending_days (" +
                        std::to_string(pending) + ") or 0 for never");
    }
  }
  if (const Json* cards = check.Object(doc, "", "cards")) {
    ParseCards(check, *cards, program);
  }
  CrossCheck(check, program);
  if (!check.ok()) return Status(StatusCode::kProgramInvalid, check.Report());
  program.Intern();
  return program;
}

}  // namespace loyalty::engine
