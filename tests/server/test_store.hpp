// Which store a server test runs on. Under with_postgres.sh
// (LOYALTY_TEST_POSTGRES set) every call makes a fresh PostgreSQL database
// and answers its URI; otherwise it answers the SQLite file given. The same
// test binary thus runs once per backend (tests/server/CMakeLists.txt).
#pragma once

#include <string>

namespace loyalty::testing {

// "postgresql" or "sqlite": the backend this run tests.
std::string StoreBackend();

// A fresh store's --db string: a new database on the test's PostgreSQL, or
// `sqlite_path`.
std::string FreshStore(const std::string& sqlite_path);

// A copy of the store `db` as it is now (no server may have it open): for
// SQLite a copy of the file at `sqlite_copy`, for PostgreSQL a new database
// made from it (CREATE DATABASE ... TEMPLATE). Answers the copy's --db.
std::string BackUpStore(const std::string& db, const std::string& sqlite_copy);

}  // namespace loyalty::testing
