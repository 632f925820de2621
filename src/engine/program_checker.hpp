// The program parser's shared parts: the Checker that collects every
// problem with its JSON path, the readers of field types used by several
// sections, and one parser per section of the program document. Internal to
// the engine; the entry point is ParseProgram (engine/program_parser.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "engine/program.hpp"
#include "loyalty/money.hpp"

namespace loyalty::engine::parse {

using Json = nlohmann::json;

// Levenshtein distance, to suggest the field a typo meant.
size_t EditDistance(const std::string& a, const std::string& b);

class Checker {
 public:
  // At most kMaxProblems are kept; a hostile file cannot grow the report.
  void Problem(const std::string& path, const std::string& what) {
    ++count_;
    if (problems_.size() < kMaxProblems) problems_.push_back(path + ": " + what);
  }
  bool ok() const { return problems_.empty(); }
  std::string Report() const {
    std::string out = "program has " + std::to_string(count_) +
                      (count_ == 1 ? " problem" : " problems");
    for (const auto& p : problems_) out += "\n  " + p;
    if (count_ > problems_.size()) {
      out += "\n  (and " + std::to_string(count_ - problems_.size()) + " more)";
    }
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
      Problem(Join(path, text::Excerpt(key)), best.empty()
                                   ? "unknown field"
                                   : "unknown field (did you mean '" + best + "'?)");
    }
  }

  // A value for a message: a short excerpt, never a hostile value whole.
  static std::string Shown(const Json& v) { return text::Excerpt(v.dump()); }

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
  static constexpr std::size_t kMaxProblems = 50;
  std::vector<std::string> problems_;
  std::size_t count_ = 0;
};

// Field readers (engine/program_fields.cpp). Each reports its problems to
// `check` and returns nothing (or a default) when the field is wrong.

// "2", 2 or "1.5" → permille. JSON floats are refused: no double near a rate.
std::optional<std::int64_t> ParsePermille(Checker& check, const Json& v,
                                          const std::string& where);
std::optional<std::int64_t> ParseAmount(Checker& check, const Json& object,
                                        const std::string& path, const char* key,
                                        const Currency& currency, bool required);
std::vector<std::string> Strings(Checker& check, const Json& object, const std::string& path,
                                 const char* key);
std::optional<std::int64_t> ParseDay(Checker& check, const Json& object,
                                     const std::string& path, const char* key);
std::optional<int> ParseClock(Checker& check, const Json& object, const std::string& path,
                              const char* key);
LineFilter ParseFilter(Checker& check, const Json& object, const std::string& path);
Audience ParseAudience(Checker& check, const Json& object, const std::string& path);
Window ParseWindow(Checker& check, const Json& parent, const std::string& parent_path);
Rounding ParseRounding(Checker& check, const Json& object, const std::string& path);
// A spend rate: "points" for every "per" spent.
void ParseRate(Checker& check, const Json& object, const std::string& path,
               const Currency& currency, EarnRule& rule);

// Sections of the program document, one parser each.
// "earn" and "rules" (engine/program_rules.cpp).
void ParseEarn(Checker& check, const Json& earn, Program& program);
void ParseRules(Checker& check, const Json& rules, Program& program);
// "tiers" and "segments" (engine/program_tiers.cpp).
void ParseTiers(Checker& check, const Json& tiers, Program& program);
void ParseSegments(Checker& check, const Json& segments, Program& program);
// "rewards", "coupons", "bonuses" and "stamp_cards"
// (engine/program_rewards.cpp). Rewards and coupons share one shape.
void ParseRewards(Checker& check, const Json& rewards, Program& program,
                  const std::string& section = "rewards");
void ParseBonuses(Checker& check, const Json& bonuses, Program& program);
void ParseStampCards(Checker& check, const Json& cards, Program& program);
// "cards": the card numbers of the program (engine/program_cards.cpp).
void ParseCards(Checker& check, const Json& cards, Program& program);

}  // namespace loyalty::engine::parse
