// How each kind of entry moves an account's lots. The till and the
// rebuild both go through here, so a rebuilt ledger equals a live one.
#pragma once

#include <vector>

#include "ledger/entry.hpp"
#include "ledger/lots.hpp"

namespace loyalty::ledger {

// Applies `entry` to `book`. `outstanding` matters only for a give-back
// (a reversal of a debit): per lot, what the reversed entry took and was not
// given back yet. Errors: kInsufficientPoints for a spend or withdrawal the
// book cannot cover; kInternal for an entry that makes no sense.
Result<std::vector<LotMove>> ApplyEntry(Book& book, const EntryRecord& entry,
                                        const std::vector<LotMove>& outstanding);

// True when reversing `original` takes points back (it credited).
inline bool IsCredit(const EntryRecord& original) { return original.points > 0; }

}  // namespace loyalty::ledger
