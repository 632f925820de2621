// The result of checking the whole ledger.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace loyalty {

struct VerifyReport {
  bool ok = true;
  std::int64_t entries_checked = 0;
  std::int64_t accounts_checked = 0;
  // The first entry found altered, removed, inserted or out of order (0 when
  // the problem is not an entry, e.g. a cached balance).
  std::int64_t first_bad_seq = 0;
  std::string problem;  // names the entry or account and what is wrong
  // The table and row found wrong ("entries" and "seq=N" for an entry;
  // the row's primary key otherwise; empty when no one row is to blame).
  std::string table;
  std::string row;
};

// Called now and then with entries checked so far and the total.
using ProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

}  // namespace loyalty
