// The "earn" and "rules" sections of a program document: how points are
// earned.
#include "engine/program_checker.hpp"


namespace loyalty::engine::parse {

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

}  // namespace loyalty::engine::parse
