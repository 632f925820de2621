// The benchmark groups of loyalty_bench, registered by main() in the order
// they run: cheap fixtures first, the 1,000,000-entry ledger last.
#pragma once

namespace loyalty::bench {

void RegisterEarnBenchmarks();    // earn_bench.cpp
void RegisterReadBenchmarks();    // read_bench.cpp
void RegisterLedgerBenchmarks();  // ledger_bench.cpp

}  // namespace loyalty::bench
