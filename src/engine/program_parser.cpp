#include "engine/program_parser.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace loyalty::engine {
namespace {

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

void ParseEarn(Checker& check, const Json& earn, Program& program) {
  const std::string path = "earn";
  check.OnlyKnownKeys(earn, path, {"points", "per", "rounding"});
  check.Integer(earn, path, "points", 0, 1'000'000, program.earn.points, true);
  if (earn.contains("points") && earn.at("points").is_number_integer() &&
      earn.at("points").get<std::int64_t>() == 0) {
    check.Problem("earn.points", "must be > 0");
  }
  std::string per_text;
  check.Text(earn, path, "per", per_text, true);
  if (!per_text.empty()) {
    auto per = Money::Parse(per_text, program.currency);
    if (!per.ok()) {
      check.Problem("earn.per", per.status().message());
    } else if (per->minor() <= 0) {
      check.Problem("earn.per", "must be > 0, got '" + per_text + "'");
    } else if (per->minor() > 1'000'000'000) {
      check.Problem("earn.per", "is too large: '" + per_text + "'");
    } else {
      program.earn.per_minor = per->minor();
    }
  }
  std::string rounding = "down";
  check.Text(earn, path, "rounding", rounding);
  if (rounding == "down") {
    program.earn.rounding = Rounding::kDown;
  } else if (rounding == "up") {
    program.earn.rounding = Rounding::kUp;
  } else if (rounding == "nearest") {
    program.earn.rounding = Rounding::kNearest;
  } else {
    check.Problem("earn.rounding",
                  "must be \"down\", \"up\" or \"nearest\", got \"" + rounding + "\"");
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

}  // namespace

Result<Program> ParseProgram(std::string_view json_text) {
  Json doc;
  try {
    doc = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::parse_error& e) {
    return Status(StatusCode::kProgramInvalid,
                  "program: not valid JSON at byte " + std::to_string(e.byte));
  }
  if (!doc.is_object()) {
    return Status(StatusCode::kProgramInvalid, "program: must be a JSON object");
  }
  Checker check;
  Program program;
  check.OnlyKnownKeys(doc, "",
                      {"format", "id", "version", "name", "currency",
                       "time_zone", "earn", "points", "cards"});
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

  if (const Json* earn = check.Object(doc, "", "earn")) {
    ParseEarn(check, *earn, program);
  } else if (!doc.contains("earn")) {
    check.Problem("earn", "is required");
  }
  if (const Json* points = check.Object(doc, "", "points")) {
    check.OnlyKnownKeys(*points, "points", {"pending_days", "expiry_days"});
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
  if (!check.ok()) return Status(StatusCode::kProgramInvalid, check.Report());
  return program;
}

}  // namespace loyalty::engine
