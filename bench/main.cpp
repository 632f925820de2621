// loyalty_bench: runs every benchmark, then prints the figures the project
// tracks (issue 2, "Speed") as ratios and against their targets, so a run
// answers "is the library within 1.3x of SQLite" without a spreadsheet.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "benchmarks.hpp"

namespace loyalty::bench {
namespace {

struct Figure {
  double ns_per_iteration = 0;
  std::map<std::string, double> counters;
};

// Prints as the console reporter does and keeps each benchmark's time per
// iteration (the last repetition's, when repeated) for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  SummaryReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Defaults : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations == 0) {
        continue;
      }
      // Keyed by the registered name: run_name.str() also carries
      // "/min_time:..." and such, which the summary should not have to know.
      std::string name = run.run_name.function_name;
      if (!run.run_name.args.empty()) name += "/" + run.run_name.args;
      Figure& f = figures_[name];
      f.ns_per_iteration =
          run.real_accumulated_time * 1e9 / static_cast<double>(run.iterations);
      for (const auto& [key, counter] : run.counters) f.counters[key] = counter.value;
    }
  }

  void PrintSummary() const {
    std::printf("\n--- summary (issue 2 targets) ---\n");
    Ratio("durable earn (synchronous=FULL): library vs bare SQLite", "Earn/durable",
          "BareSqliteEarn/durable", 1.3);
    Counter("durable earn, interleaved runs", "EarnInterleaved/durable", 1.3);
    Ratio("earn at synchronous=NORMAL (no fsync: CPU overhead)", "Earn/sync_normal",
          "BareSqliteEarn/sync_normal", 0);
    Counter("earn at synchronous=NORMAL, interleaved runs", "EarnInterleaved/sync_normal", 0);
    Target("balance lookup (Terminal::Balance), small ledger", "Balance/small_ledger", 5e3);
    Target("balance lookup (Terminal::Balance), 1M-entry ledger", "Balance/1M_ledger", 5e3);
    Target("full card view (Terminal::Lookup), small ledger", "Lookup/small_ledger", 0);
    Target("full card view (Terminal::Lookup), 1M-entry ledger", "Lookup/1M_ledger", 0);
    Ratio("full card view vs bare SQLite reads, small ledger", "Lookup/small_ledger",
          "BareSqliteLookup/small_ledger", 0);
    Ratio("full card view vs bare SQLite reads, 1M-entry ledger", "Lookup/1M_ledger",
          "BareSqliteLookup/1M_ledger", 0);
    Target("history of 50 entries", "History50/1M_ledger", 0);
    Ratio("history of 50 entries vs bare SQLite", "History50/1M_ledger",
          "BareSqliteHistory50/1M_ledger", 0);
    Target("open a 1M-entry ledger", "Open/1M_ledger", 0);
    Ratio("Verify() of 1M entries vs bare HMAC-SHA256 of the same bytes",
          "Verify/1M_ledger", "HmacFloor/1M_entries", 0);
    if (Has("Verify/1M_ledger") && Has("HmacFloor/1M_entries") &&
        Has("SqliteScanFloor/1M_entries")) {
      const double floor = Ns("HmacFloor/1M_entries") + Ns("SqliteScanFloor/1M_entries");
      std::printf("%-66s %10.1f ms vs %.1f ms = %.2fx\n",
                  "Verify() vs bare SQLite scan + bare HMAC", Ns("Verify/1M_ledger") / 1e6,
                  floor / 1e6, Ns("Verify/1M_ledger") / floor);
    }
  }

 private:
  bool Has(const std::string& name) const { return figures_.count(name) != 0; }
  double Ns(const std::string& name) const { return figures_.at(name).ns_per_iteration; }

  static std::string Verdict(double value, double target, bool below) {
    if (target <= 0) return "";
    const bool met = below ? value < target : value <= target;
    return met ? "  target met" : "  TARGET MISSED";
  }

  static void PrintTime(const char* label, double ns, const std::string& verdict) {
    if (ns >= 1e6) {
      std::printf("%-66s %10.2f ms%s\n", label, ns / 1e6, verdict.c_str());
    } else {
      std::printf("%-66s %10.2f us%s\n", label, ns / 1e3, verdict.c_str());
    }
  }

  // library / floor, with "≤ target" when target > 0.
  void Ratio(const char* label, const std::string& library, const std::string& floor,
             double target) const {
    if (!Has(library) || !Has(floor)) return;
    const double ratio = Ns(library) / Ns(floor);
    const double scale = Ns(floor) >= 1e6 ? 1e6 : 1e3;
    const char* unit = scale == 1e6 ? "ms" : "us";
    std::printf("%-66s %10.2f %s vs %.2f %s = %.2fx%s%s\n", label, Ns(library) / scale, unit,
                Ns(floor) / scale, unit, ratio,
                target > 0 ? (" (target <= " + std::to_string(target).substr(0, 3) + "x)").c_str()
                           : "",
                Verdict(ratio, target, false).c_str());
  }

  void Counter(const char* label, const std::string& name, double target) const {
    if (!Has(name)) return;
    const auto& c = figures_.at(name).counters;
    if (!c.count("ratio")) return;
    std::printf("%-66s %10.2f us vs %.2f us = %.2fx%s\n", label, c.at("lib_us"),
                c.at("bare_us"), c.at("ratio"), Verdict(c.at("ratio"), target, false).c_str());
  }

  // Absolute time, "< target" when target > 0 (ns).
  void Target(const char* label, const std::string& name, double target_ns) const {
    if (!Has(name)) return;
    PrintTime(label, Ns(name),
              target_ns > 0 ? Verdict(Ns(name), target_ns, true) +
                                  " (target < " + std::to_string(static_cast<int>(target_ns / 1e3)) +
                                  " us)"
                            : "");
  }

  std::map<std::string, Figure> figures_;
};

}  // namespace
}  // namespace loyalty::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  loyalty::bench::RegisterEarnBenchmarks();
  loyalty::bench::RegisterReadBenchmarks();
  loyalty::bench::RegisterLedgerBenchmarks();
  loyalty::bench::SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary();
  benchmark::Shutdown();
  return 0;
}
