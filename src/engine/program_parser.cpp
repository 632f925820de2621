#include "engine/program_parser.hpp"

#include <algorithm>
#include <chrono>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace loyalty::engine {
namespace {

struct DigitField {
  std::size_t max_width;
  unsigned* out;
};

// "2026-03-01", "9:30": 1 to max_width digits per field, `separator`
// between fields, nothing else. Replaces sscanf("%4u-%2u-%2u"), which took
// signs and spaces and could not report a bad conversion.
template <std::size_t N>
bool DigitFields(std::string_view text, char separator, const std::array<DigitField, N>& fields) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) {
      if (at >= text.size() || text[at] != separator) return false;
      ++at;
    }
    std::size_t width = 0;
    while (at + width < text.size() && width <= fields[i].max_width &&
           text[at + width] >= '0' && text[at + width] <= '9') {
      ++width;
    }
    if (width == 0 || width > fields[i].max_width) return false;
    const char* first = text.data() + at;
    auto [end, error] = std::from_chars(first, first + width, *fields[i].out);
    if (error != std::errc() || end != first + width) return false;
    at += width;
  }
  return at == text.size();
}

using Json = nlohmann::json;

// Levenshtein distance, to suggest the field a typo meant.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

class Checker {
 public:
  void Problem(const std::string& path, const std::string& what) {
    problems_.push_back(path + ": " + what);
  }
  bool ok() const { return problems_.empty(); }
  std::string Report() const {
    std::string out = "program has " + std::to_string(problems_.size()) +
                      (problems_.size() == 1 ? " problem" : " problems");
    for (const auto& p : problems_) out += "\n  " + p;
    return out;
  }

  // Flags every key of `object` not in `known`, suggesting the nearest.
  void OnlyKnownKeys(const Json& object, const std::string& path,
                     const std::set<std::string>& known) {
    for (const auto& [key, value] : object.items()) {
      if (known.count(key)) continue;
      std::string best;
      size_t best_distance = 3;
      for (const auto& k : known) {
        const size_t d = EditDistance(key, k);
        if (d < best_distance) {
          best_distance = d;
          best = k;
        }
      }
      Problem(Join(path, key), best.empty()
                                   ? "unknown field"
                                   : "unknown field (did you mean '" + best + "'?)");
    }
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // Reads an integer field in [lo, hi]; leaves `out` alone when absent.
  void Integer(const Json& object, const std::string& path, const char* key,
               std::int64_t lo, std::int64_t hi, std::int64_t& out,
               bool required = false) {
    const std::string where = Join(path, key);
    if (!object.contains(key)) {
      if (required) Problem(where, "is required");
      return;
    }
    const Json& v = object.at(key);
    if (!v.is_number_integer()) {
      Problem(where, "must be a whole number, got " + v.dump());
      return;
    }
    const auto n = v.get<std::int64_t>();
    if (n < lo || n > hi) {
      Problem(where, "must be between " + std::to_string(lo) + " and " +
                         std::to_string(hi) + ", got " + std::to_string(n));
      return;
    }
    out = n;
  }

  void Text(const Json& object, const std::string& path, const char* key,
            std::string& out, bool required = false) {
    const std::string where = Join(path, key);
    if (!object.contains(key)) {
      if (required) Problem(where, "is required");
      return;
    }
    const Json& v = object.at(key);
    if (!v.is_string()) {
      Problem(where, "must be a string, got " + v.dump());
      return;
    }
    out = v.get<std::string>();
  }

  void Boolean(const Json& object, const std::string& path, const char* key,
               bool& out) {
    if (!object.contains(key)) return;
    const Json& v = object.at(key);
    if (!v.is_boolean()) {
      Problem(Join(path, key), "must be true or false, got " + v.dump());
      return;
    }
    out = v.get<bool>();
  }

  const Json* Object(const Json& parent, const std::string& path, const char* key) {
    if (!parent.contains(key)) return nullptr;
    const Json& v = parent.at(key);
    if (!v.is_object()) {
      Problem(Join(path, key), "must be an object, got " + v.dump());
      return nullptr;
    }
    return &v;
  }

 private:
  std::vector<std::string> problems_;
};


// "2", 2 or "1.5" → permille. JSON floats are refused: no double near a rate.
std::optional<std::int64_t> ParsePermille(Checker& check, const Json& v,
                                          const std::string& where) {
  if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    if (n <= 0 || n > 1000) {
      check.Problem(where, "must be > 0 and at most 1000, got " + std::to_string(n));
      return std::nullopt;
    }
    return n * kPermille;
  }
  if (!v.is_string()) {
    check.Problem(where, "must be a whole number or a decimal string like \"1.5\", got " +
                             v.dump());
    return std::nullopt;
  }
  auto parsed = Money::Parse(v.get<std::string>(), *Currency::FromCode("KWD"));  // 3 decimals
  if (!parsed.ok() || parsed->minor() <= 0 || parsed->minor() > 1000 * kPermille) {
    check.Problem(where, "must be > 0 with at most 3 decimals, got " + v.dump());
    return std::nullopt;
  }
  return parsed->minor();
}

std::optional<std::int64_t> ParseAmount(Checker& check, const Json& object,
                                        const std::string& path, const char* key,
                                        const Currency& currency, bool required) {
  const std::string where = Checker::Join(path, key);
  if (!object.contains(key)) {
    if (required) check.Problem(where, "is required");
    return std::nullopt;
  }
  const Json& v = object.at(key);
  if (!v.is_string()) {
    check.Problem(where, "must be an amount string like \"5.00\", got " + v.dump());
    return std::nullopt;
  }
  auto money = Money::Parse(v.get<std::string>(), currency);
  if (!money.ok()) {
    check.Problem(where, money.status().message());
    return std::nullopt;
  }
  if (money->minor() < 0) {
    check.Problem(where, "must not be negative, got " + v.dump());
    return std::nullopt;
  }
  return money->minor();
}

std::vector<std::string> Strings(Checker& check, const Json& object, const std::string& path,
                                 const char* key) {
  std::vector<std::string> out;
  if (!object.contains(key)) return out;
  const Json& v = object.at(key);
  const std::string where = Checker::Join(path, key);
  if (!v.is_array()) {
    check.Problem(where, "must be a list of strings");
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get<std::string>().empty()) {
      check.Problem(where + "[" + std::to_string(i) + "]", "must be a non-empty string");
      continue;
    }
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::optional<std::int64_t> ParseDay(Checker& check, const Json& object,
                                     const std::string& path, const char* key) {
  if (!object.contains(key)) return std::nullopt;
  const std::string where = Checker::Join(path, key);
  const Json& v = object.at(key);
  unsigned y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (!v.is_string() ||
      !DigitFields(v.get_ref<const std::string&>(), '-',
                   std::array<DigitField, 3>{{{4, &y}, {2, &m}, {2, &d}}})) {
    check.Problem(where, "must be a date \"YYYY-MM-DD\", got " + v.dump());
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(y)},
                                        std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) {
    check.Problem(where, "is not a calendar date: " + v.dump());
    return std::nullopt;
  }
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

std::optional<int> ParseClock(Checker& check, const Json& object, const std::string& path,
                              const char* key) {
  if (!object.contains(key)) return std::nullopt;
  const std::string where = Checker::Join(path, key);
  const Json& v = object.at(key);
  unsigned h = 0;
  unsigned mi = 0;
  if (!v.is_string() ||
      !DigitFields(v.get_ref<const std::string&>(), ':',
                   std::array<DigitField, 2>{{{2, &h}, {2, &mi}}}) ||
      h > 24 || mi > 59 || (h == 24 && mi != 0)) {
    check.Problem(where, "must be a time \"HH:MM\", got " + v.dump());
    return std::nullopt;
  }
  return static_cast<int>(h * 60 + mi);
}

LineFilter ParseFilter(Checker& check, const Json& object, const std::string& path) {
  LineFilter f;
  f.products = Strings(check, object, path, "products");
  f.categories = Strings(check, object, path, "categories");
  return f;
}

Audience ParseAudience(Checker& check, const Json& object, const std::string& path) {
  Audience a;
  a.tiers = Strings(check, object, path, "tiers");
  a.segments = Strings(check, object, path, "segments");
  for (size_t i = 0; i < a.segments.size(); ++i) {
    const std::string& s = a.segments[i];
    if (s != "new" && s != "regular" && s != "loyal" && s != "lapsing") {
      check.Problem(path + ".segments[" + std::to_string(i) + "]",
                    "must be new, regular, loyal or lapsing, got \"" + s + "\"");
    }
  }
  a.stores = Strings(check, object, path, "stores");
  a.terminals = Strings(check, object, path, "terminals");
  return a;
}

Window ParseWindow(Checker& check, const Json& parent, const std::string& parent_path) {
  Window w;
  const Json* when = check.Object(parent, parent_path, "when");
  if (when == nullptr) return w;
  const std::string path = Checker::Join(parent_path, "when");
  check.OnlyKnownKeys(*when, path, {"weekdays", "from_time", "until_time", "from", "until"});
  static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  const auto days = Strings(check, *when, path, "weekdays");
  for (size_t i = 0; i < days.size(); ++i) {
    int found = -1;
    for (int d = 0; d < 7; ++d) {
      if (days[i] == kDays[d]) found = d;
    }
    if (found < 0) {
      check.Problem(path + ".weekdays[" + std::to_string(i) + "]",
                    "must be one of sun mon tue wed thu fri sat, got \"" + days[i] + "\"");
    } else {
      w.weekdays.push_back(found);
    }
  }
  w.from_minute = ParseClock(check, *when, path, "from_time");
  w.until_minute = ParseClock(check, *when, path, "until_time");
  w.from_day = ParseDay(check, *when, path, "from");
  w.until_day = ParseDay(check, *when, path, "until");
  if (w.from_day && w.until_day && *w.until_day < *w.from_day) {
    check.Problem(path + ".until", "is before " + path + ".from");
  }
  return w;
}

Rounding ParseRounding(Checker& check, const Json& object, const std::string& path) {
  std::string rounding = "down";
  check.Text(object, path, "rounding", rounding);
  if (rounding == "up") return Rounding::kUp;
  if (rounding == "nearest") return Rounding::kNearest;
  if (rounding != "down") {
    check.Problem(Checker::Join(path, "rounding"),
                  "must be \"down\", \"up\" or \"nearest\", got \"" + rounding + "\"");
  }
  return Rounding::kDown;
}

// A spend rate: "points" for every "per" spent.
void ParseRate(Checker& check, const Json& object, const std::string& path,
               const Currency& currency, EarnRule& rule) {
  check.Integer(object, path, "points", 1, 1'000'000, rule.points, true);
  if (object.contains("points") && object.at("points").is_number_integer() &&
      object.at("points").get<std::int64_t>() == 0) {
    check.Problem(Checker::Join(path, "points"), "must be > 0");
  }
  if (rule.type != RuleType::kSpend) return;
  std::string per_text;
  check.Text(object, path, "per", per_text, true);
  if (per_text.empty()) return;
  auto per = Money::Parse(per_text, currency);
  if (!per.ok()) {
    check.Problem(Checker::Join(path, "per"), per.status().message());
  } else if (per->minor() <= 0) {
    check.Problem(Checker::Join(path, "per"), "must be > 0, got '" + per_text + "'");
  } else if (per->minor() > 1'000'000'000) {
    check.Problem(Checker::Join(path, "per"), "is too large: '" + per_text + "'");
  } else {
    rule.per_minor = per->minor();
  }
}

void ParseEarn(Checker& check, const Json& earn, Program& program) {
  const std::string path = "earn";
  check.OnlyKnownKeys(earn, path, {"points", "per", "rounding"});
  EarnRule rule;
  rule.id = "base";
  ParseRate(check, earn, path, program.currency, rule);
  rule.rounding = ParseRounding(check, earn, path);
  program.rules.push_back(rule);
}

void ParseRules(Checker& check, const Json& rules, Program& program) {
  if (!rules.is_array()) {
    check.Problem("rules", "must be a list of rules");
    return;
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string path = "rules[" + std::to_string(i) + "]";
    const Json& r = rules[i];
    if (!r.is_object()) {
      check.Problem(path, "must be an object");
      continue;
    }
    check.OnlyKnownKeys(r, path,
                        {"id", "type", "points", "per", "multiplier", "rounding", "products",
                         "categories", "when", "tiers", "segments", "stores", "terminals",
                         "min_basket", "max_points", "stop", "explain", "issue_coupon"});
    EarnRule rule;
    check.Text(r, path, "id", rule.id, true);
    std::string type = "spend";
    check.Text(r, path, "type", type);
    if (type == "visit") {
      rule.type = RuleType::kVisit;
    } else if (type == "item") {
      rule.type = RuleType::kItem;
    } else if (type != "spend") {
      check.Problem(path + ".type", "must be spend, visit or item, got \"" + type + "\"");
    }
    ParseRate(check, r, path, program.currency, rule);
    if (r.contains("multiplier")) {
      if (auto m = ParsePermille(check, r.at("multiplier"), path + ".multiplier")) {
        rule.multiplier_permille = *m;
      }
    }
    rule.rounding = ParseRounding(check, r, path);
    rule.lines = ParseFilter(check, r, path);
    rule.when = ParseWindow(check, r, path);
    rule.audience = ParseAudience(check, r, path);
    if (auto min = ParseAmount(check, r, path, "min_basket", program.currency, false)) {
      rule.min_basket_minor = *min;
    }
    if (r.contains("max_points")) {
      std::int64_t max = 0;
      check.Integer(r, path, "max_points", 0, INT64_MAX, max);
      rule.max_points = max;
    }
    check.Boolean(r, path, "stop", rule.stop);
    check.Text(r, path, "explain", rule.explain);
    check.Text(r, path, "issue_coupon", rule.issue_coupon);
    for (const EarnRule& earlier : program.rules) {
      if (earlier.id == rule.id && !rule.id.empty()) {
        check.Problem(path + ".id", "\"" + rule.id + "\" is used by another rule");
      }
    }
    program.rules.push_back(std::move(rule));
  }
}

void ParseTiers(Checker& check, const Json& tiers, Program& program) {
  const std::string path = "tiers";
  TierPlan plan;
  check.OnlyKnownKeys(tiers, path, {"measure", "window_days", "evaluation", "levels"});
  std::string evaluation = "rolling";
  check.Text(tiers, path, "evaluation", evaluation);
  if (evaluation == "monthly") {
    plan.evaluation_months = 1;
  } else if (evaluation == "quarterly") {
    plan.evaluation_months = 3;
  } else if (evaluation == "yearly") {
    plan.evaluation_months = 12;
  } else if (evaluation != "rolling") {
    check.Problem("tiers.evaluation",
                  "must be rolling, monthly, quarterly or yearly, got \"" + evaluation + "\"");
  }
  std::string measure = "spend";
  check.Text(tiers, path, "measure", measure);
  if (measure == "points") {
    plan.measure = TierMeasure::kPoints;
  } else if (measure != "spend") {
    check.Problem("tiers.measure",
                  "must be \"spend\" or \"points\" (never the balance), got \"" + measure + "\"");
  }
  std::int64_t window = plan.window_days;
  check.Integer(tiers, path, "window_days", 1, 3660, window);
  plan.window_days = static_cast<int>(window);
  if (!tiers.contains("levels") || !tiers.at("levels").is_array() ||
      tiers.at("levels").empty()) {
    check.Problem("tiers.levels", "must be a non-empty list");
    return;
  }
  const Json& levels = tiers.at("levels");
  for (size_t i = 0; i < levels.size(); ++i) {
    const std::string lp = "tiers.levels[" + std::to_string(i) + "]";
    if (!levels[i].is_object()) {
      check.Problem(lp, "must be an object");
      continue;
    }
    check.OnlyKnownKeys(levels[i], lp, {"id", "threshold", "multiplier"});
    Tier tier;
    check.Text(levels[i], lp, "id", tier.id, true);
    if (plan.measure == TierMeasure::kSpend) {
      if (auto t = ParseAmount(check, levels[i], lp, "threshold", program.currency, true)) {
        tier.threshold = *t;
      }
    } else {
      check.Integer(levels[i], lp, "threshold", 0, INT64_MAX, tier.threshold, true);
    }
    if (levels[i].contains("multiplier")) {
      if (auto m = ParsePermille(check, levels[i].at("multiplier"), lp + ".multiplier")) {
        tier.multiplier_permille = *m;
      }
    }
    if (!plan.levels.empty() && tier.threshold <= plan.levels.back().threshold) {
      check.Problem(lp + ".threshold", "must be above the level before it");
    }
    plan.levels.push_back(std::move(tier));
  }
  program.tiers = std::move(plan);
}

void ParseSegments(Checker& check, const Json& segments, Program& program) {
  const std::string path = "segments";
  check.OnlyKnownKeys(segments, path,
                      {"new_days", "window_days", "loyal_visits", "lapsing_days"});
  SegmentPlan& plan = program.segments;
  std::int64_t v = 0;
  v = plan.new_days;
  check.Integer(segments, path, "new_days", 0, 3650, v);
  plan.new_days = static_cast<int>(v);
  v = plan.window_days;
  check.Integer(segments, path, "window_days", 1, 3650, v);
  plan.window_days = static_cast<int>(v);
  v = plan.loyal_visits;
  check.Integer(segments, path, "loyal_visits", 1, 100000, v);
  plan.loyal_visits = static_cast<int>(v);
  v = plan.lapsing_days;
  check.Integer(segments, path, "lapsing_days", 1, 3650, v);
  plan.lapsing_days = static_cast<int>(v);
}

// Rewards and coupons share one shape; coupons cost no points and are taken
// by code.
void ParseRewards(Checker& check, const Json& rewards, Program& program,
                  const std::string& section = "rewards") {
  const bool coupons = section == "coupons";
  std::vector<Reward>& out = coupons ? program.coupons : program.rewards;
  if (!rewards.is_array()) {
    check.Problem(section, "must be a list of " + section);
    return;
  }
  static const std::pair<const char*, RewardKind> kKinds[] = {
      {"order_amount", RewardKind::kOrderAmount}, {"order_percent", RewardKind::kOrderPercent},
      {"lines_amount", RewardKind::kLinesAmount}, {"lines_percent", RewardKind::kLinesPercent},
      {"cheapest_free", RewardKind::kCheapestFree}, {"free_product", RewardKind::kFreeProduct},
      {"voucher", RewardKind::kVoucher}};
  for (size_t i = 0; i < rewards.size(); ++i) {
    const std::string path = section + "[" + std::to_string(i) + "]";
    const Json& r = rewards[i];
    if (!r.is_object()) {
      check.Problem(path, "must be an object");
      continue;
    }
    if (coupons) {
      check.OnlyKnownKeys(r, path,
                          {"id", "name", "kind", "amount", "percent", "products", "categories",
                           "min_tier", "valid_from", "valid_until", "per_customer", "code",
                           "valid_days"});
    } else {
      check.OnlyKnownKeys(r, path,
                          {"id", "name", "kind", "cost", "amount", "percent", "products",
                           "categories", "min_tier", "valid_from", "valid_until",
                           "per_customer", "per_period", "stock", "stamp_card"});
    }
    Reward reward;
    check.Text(r, path, "id", reward.id, true);
    check.Text(r, path, "name", reward.name);
    if (reward.name.empty()) reward.name = reward.id;
    std::string kind;
    check.Text(r, path, "kind", kind, true);
    bool known = false;
    for (const auto& [name, value] : kKinds) {
      if (kind == name) {
        reward.kind = value;
        known = true;
      }
    }
    if (!known && r.contains("kind")) {
      check.Problem(path + ".kind",
                    "must be order_amount, order_percent, lines_amount, lines_percent, "
                    "cheapest_free, free_product or voucher, got \"" + kind + "\"");
    }
    check.Text(r, path, "stamp_card", reward.stamp_card);
    // A stamp reward is paid in stamps; a points cost would be a typo.
    if (!coupons) {
      check.Integer(r, path, "cost", reward.stamp_card.empty() ? 1 : 0, INT64_MAX / 4,
                    reward.cost, reward.stamp_card.empty());
    }
    check.Text(r, path, "code", reward.code);
    std::int64_t valid_days = reward.valid_days;
    check.Integer(r, path, "valid_days", 1, 3650, valid_days);
    reward.valid_days = static_cast<int>(valid_days);
    const bool needs_amount = reward.kind == RewardKind::kOrderAmount ||
                              reward.kind == RewardKind::kLinesAmount ||
                              reward.kind == RewardKind::kVoucher;
    if (auto a = ParseAmount(check, r, path, "amount", program.currency, needs_amount && known)) {
      reward.amount_minor = *a;
    }
    const bool needs_percent = reward.kind == RewardKind::kOrderPercent ||
                               reward.kind == RewardKind::kLinesPercent;
    check.Integer(r, path, "percent", 1, 100, reward.percent, needs_percent && known);
    reward.lines = ParseFilter(check, r, path);
    const bool needs_lines = reward.kind == RewardKind::kLinesAmount ||
                             reward.kind == RewardKind::kLinesPercent ||
                             reward.kind == RewardKind::kFreeProduct;
    if (coupons && reward.kind == RewardKind::kVoucher) {
      check.Problem(path + ".kind", "a coupon takes something off the basket; voucher is a reward");
    }
    if (known && needs_lines && reward.lines.Any()) {
      check.Problem(path, "a " + kind + " reward needs products or categories");
    }
    check.Text(r, path, "min_tier", reward.min_tier);
    reward.valid_from_day = ParseDay(check, r, path, "valid_from");
    reward.valid_until_day = ParseDay(check, r, path, "valid_until");
    if (r.contains("per_customer")) {
      std::int64_t n = 0;
      check.Integer(r, path, "per_customer", 1, INT64_MAX, n);
      reward.per_customer = n;
    }
    if (const Json* period = check.Object(r, path, "per_period")) {
      check.OnlyKnownKeys(*period, path + ".per_period", {"count", "days"});
      check.Integer(*period, path + ".per_period", "count", 1, 1'000'000,
                    reward.per_period_count, true);
      std::int64_t days = 0;
      check.Integer(*period, path + ".per_period", "days", 1, 3660, days, true);
      reward.per_period_days = static_cast<int>(days);
    }
    if (r.contains("stock")) {
      std::int64_t n = 0;
      check.Integer(r, path, "stock", 0, INT64_MAX, n);
      reward.stock = n;
    }
    for (const Reward& earlier : program.rewards) {
      if (earlier.id == reward.id && !reward.id.empty()) {
        check.Problem(path + ".id", "\"" + reward.id + "\" is used by another reward");
      }
    }
    for (const Reward& earlier : program.coupons) {
      if (earlier.id == reward.id && !reward.id.empty()) {
        check.Problem(path + ".id", "\"" + reward.id + "\" is used by another coupon");
      }
    }
    out.push_back(std::move(reward));
  }
}

void ParseBonuses(Checker& check, const Json& bonuses, Program& program) {
  check.OnlyKnownKeys(bonuses, "bonuses", {"signup", "birthday", "referral", "events"});
  check.Integer(bonuses, "bonuses", "signup", 0, 1'000'000'000, program.signup_bonus);
  check.Integer(bonuses, "bonuses", "birthday", 0, 1'000'000'000, program.birthday_bonus);
  if (const Json* referral = check.Object(bonuses, "bonuses", "referral")) {
    check.OnlyKnownKeys(*referral, "bonuses.referral", {"new_member", "referrer"});
    check.Integer(*referral, "bonuses.referral", "new_member", 0, 1'000'000'000,
                  program.referral_new_member);
    check.Integer(*referral, "bonuses.referral", "referrer", 0, 1'000'000'000,
                  program.referral_referrer);
  }
  if (const Json* events = check.Object(bonuses, "bonuses", "events")) {
    for (const auto& [name, value] : events->items()) {
      const std::string where = "bonuses.events." + name;
      if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) {
        check.Problem(where, "must be a whole number of points > 0, got " + value.dump());
        continue;
      }
      program.event_bonuses.emplace_back(name, value.get<Points>());
    }
  }
}

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

void ParseStampCards(Checker& check, const Json& cards, Program& program) {
  if (!cards.is_array()) {
    check.Problem("stamp_cards", "must be a list of stamp cards");
    return;
  }
  for (size_t i = 0; i < cards.size(); ++i) {
    const std::string path = "stamp_cards[" + std::to_string(i) + "]";
    const Json& c = cards[i];
    if (!c.is_object()) {
      check.Problem(path, "must be an object");
      continue;
    }
    check.OnlyKnownKeys(c, path, {"id", "products", "categories", "count", "needed", "reward"});
    StampCard card;
    check.Text(c, path, "id", card.id, true);
    card.lines = ParseFilter(check, c, path);
    if (card.lines.Any()) check.Problem(path, "a stamp card needs products or categories");
    std::string count = "items";
    check.Text(c, path, "count", count);
    if (count == "visits") {
      card.per_visit = true;
    } else if (count != "items") {
      check.Problem(path + ".count", "must be \"items\" or \"visits\", got \"" + count + "\"");
    }
    check.Integer(c, path, "needed", 1, 1000, card.needed, true);
    check.Text(c, path, "reward", card.reward, true);
    program.stamp_cards.push_back(std::move(card));
  }
}

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

}  // namespace

Result<Program> ParseProgram(std::string_view json_text) {
  Json doc;
  try {
    doc = Json::parse(json_text.begin(), json_text.end());
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
