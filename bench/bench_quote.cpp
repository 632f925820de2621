// Quote speed (issue 3): a 50-line basket under a program of 100 rules.
// The engine alone (pure), and Terminal::QuoteBasket end to end (card
// lookup, account state from the ledger, engine).
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/earn.hpp"
#include "engine/program_parser.hpp"
#include "loyalty/loyalty.hpp"

namespace {

const char* kCategories[] = {"dairy", "bakery", "fruit", "meat",  "fish",
                             "drinks", "snacks", "frozen", "home", "beauty"};

// 100 rules: category multipliers, weekday and hour promotions, tier-only
// rules, visit and item bonuses, with caps and exclusions around them.
std::string HundredRuleProgram() {
  std::string rules;
  for (int i = 0; i < 100; ++i) {
    const std::string cat = kCategories[i % 10];
    std::string rule = R"({"id": "r)" + std::to_string(i) + "\"";
    switch (i % 5) {
      case 0:
        rule += R"(, "points": 1, "per": "1.00", "categories": [")" + cat + R"("], "multiplier": "1.5")";
        break;
      case 1:
        rule += R"(, "points": 2, "per": "1.00", "categories": [")" + cat +
                R"("], "when": {"weekdays": ["tue", "thu"]})";
        break;
      case 2:
        rule += R"(, "type": "item", "points": 1, "products": ["SKU)" + std::to_string(i) +
                R"("], "when": {"from_time": "08:00", "until_time": "20:00"})";
        break;
      case 3:
        rule += R"(, "points": 1, "per": "2.00", "tiers": ["gold"], "max_points": 500)";
        break;
      case 4:
        rule += R"(, "type": "visit", "points": 5, "min_basket": "30.00", "segments": ["loyal", "regular"])";
        break;
    }
    rules += (i ? "," : "") + rule + "}";
  }
  return R"({"format": 1, "id": "bench", "version": 1, "currency": "EUR",
    "time_zone": "Europe/Paris", "earn": {"points": 1, "per": "1.00"},
    "exclusions": {"categories": ["tobacco"]},
    "caps": {"per_receipt": 100000, "per_day": 200000},
    "tiers": {"measure": "spend", "window_days": 365, "levels": [
      {"id": "silver", "threshold": "0.00"}, {"id": "gold", "threshold": "500.00", "multiplier": 2}]},
    "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 500, "amount": "5.00"},
                {"id": "dairy-10", "kind": "lines_percent", "cost": 300, "percent": 10,
                 "categories": ["dairy"]}],
    "rules": [)" + rules + "]}";
}

loyalty::Basket FiftyLines() {
  loyalty::Basket basket{"EUR", {}};
  for (int i = 0; i < 50; ++i) {
    basket.lines.push_back({"SKU" + std::to_string(i * 2), kCategories[i % 10], 1 + i % 3,
                            199 + 37 * i, false});
  }
  return basket;
}

void BM_EngineQuote50Lines100Rules(benchmark::State& state) {
  auto program = loyalty::engine::ParseProgram(HundredRuleProgram());
  if (!program.ok()) {
    state.SkipWithError(program.status().ToString().c_str());
    return;
  }
  const loyalty::Basket basket = FiftyLines();
  loyalty::engine::Context context;
  context.local = {20515, 2, 10 * 60};  // a Tuesday, 10:00
  context.tier_measure = 80000;
  context.segment = "regular";
  context.available = 1000;
  for (auto _ : state) {
    auto quote = loyalty::engine::Evaluate(*program, basket, context, {"dairy-10"});
    benchmark::DoNotOptimize(quote);
  }
  state.SetLabel("rules=" + std::to_string(program->rules.size()) + " lines=50");
}
BENCHMARK(BM_EngineQuote50Lines100Rules)->Unit(benchmark::kMicrosecond);

class FixedClock final : public loyalty::Clock {
 public:
  loyalty::Timestamp Now() const override {
    return loyalty::Timestamp(std::chrono::milliseconds(1772528400000));  // Tue 10:00 Paris
  }
};

void BM_TerminalQuoteBasket(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "loyalty-bench-quote";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "program.json") << HundredRuleProgram();
  FixedClock clock;
  loyalty::Options options;
  options.database_path = (dir / "ledger.db").string();
  options.terminal_id = "bench";
  options.terminal_key = std::string(32, 'k');
  options.program_path = (dir / "program.json").string();
  options.clock = &clock;
  auto terminal = loyalty::Terminal::Open(options);
  if (!terminal.ok()) {
    state.SkipWithError(terminal.status().ToString().c_str());
    return;
  }
  const auto card = *loyalty::CardId::Parse("LC0001");
  (void)(*terminal)->Enroll({"e1", card, "", "Bench"});
  for (int i = 0; i < 20; ++i) {
    (void)(*terminal)->Commit({"s" + std::to_string(i), card, FiftyLines(), 0});
  }
  const loyalty::Basket basket = FiftyLines();
  for (auto _ : state) {
    auto quote = (*terminal)->QuoteBasket(card, basket, {"dairy-10"});
    benchmark::DoNotOptimize(quote);
  }
  terminal->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_TerminalQuoteBasket)->Unit(benchmark::kMicrosecond);

// The lean points-only read (Terminal::Balance) beside the full Lookup
// (tier, segment, rewards, stamps, wallet) on the same card.
void BM_TerminalBalanceAndLookup(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "loyalty-bench-balance";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "program.json") << HundredRuleProgram();
  FixedClock clock;
  loyalty::Options options;
  options.database_path = (dir / "ledger.db").string();
  options.terminal_id = "bench";
  options.terminal_key = std::string(32, 'k');
  options.program_path = (dir / "program.json").string();
  options.clock = &clock;
  auto terminal = loyalty::Terminal::Open(options);
  if (!terminal.ok()) {
    state.SkipWithError(terminal.status().ToString().c_str());
    return;
  }
  const auto card = *loyalty::CardId::Parse("LC0001");
  (void)(*terminal)->Enroll({"e1", card, "", "Bench"});
  for (int i = 0; i < 20; ++i) {
    (void)(*terminal)->Commit({"s" + std::to_string(i), card, FiftyLines(), 0});
  }
  const bool full = state.range(0) == 1;
  for (auto _ : state) {
    if (full) {
      benchmark::DoNotOptimize((*terminal)->Lookup(card));
    } else {
      benchmark::DoNotOptimize((*terminal)->Balance(card));
    }
  }
  state.SetLabel(full ? "Lookup" : "Balance");
  terminal->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_TerminalBalanceAndLookup)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
