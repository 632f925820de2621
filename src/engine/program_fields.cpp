// Readers of the field types several sections of a program share: rates,
// amounts, dates, times of day, product filters, audiences, windows.
#include "engine/program_checker.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

namespace loyalty::engine::parse {

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

}  // namespace

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
                             Checker::Shown(v));
    return std::nullopt;
  }
  auto parsed = Money::Parse(v.get<std::string>(), *Currency::FromCode("KWD"));  // 3 decimals
  if (!parsed.ok() || parsed->minor() <= 0 || parsed->minor() > 1000 * kPermille) {
    check.Problem(where, "must be > 0 with at most 3 decimals, got " + Checker::Shown(v));
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
    check.Problem(where, "must be an amount string like \"5.00\", got " + Checker::Shown(v));
    return std::nullopt;
  }
  auto money = Money::Parse(v.get<std::string>(), currency);
  if (!money.ok()) {
    check.Problem(where, money.status().message());
    return std::nullopt;
  }
  if (money->minor() < 0) {
    check.Problem(where, "must not be negative, got " + Checker::Shown(v));
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
    check.Problem(where, "must be a date \"YYYY-MM-DD\", got " + Checker::Shown(v));
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(y)},
                                        std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) {
    check.Problem(where, "is not a calendar date: " + Checker::Shown(v));
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
    check.Problem(where, "must be a time \"HH:MM\", got " + Checker::Shown(v));
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

}  // namespace loyalty::engine::parse
