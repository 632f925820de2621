// The "tiers" and "segments" sections of a program document.
#include "engine/program_checker.hpp"


namespace loyalty::engine::parse {

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

}  // namespace loyalty::engine::parse
