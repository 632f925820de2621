#include "test_store.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "pg_connection.hpp"

namespace loyalty::testing {

namespace {

const char* AdminUri() { return std::getenv("LOYALTY_TEST_POSTGRES"); }

// Makes a database (from `template_name` when given) and answers its URI.
std::string NewDatabase(const std::string& template_name) {
  static std::atomic<int> next{0};
  const std::string name =
      "test_" + std::to_string(getpid()) + "_" + std::to_string(next.fetch_add(1));
  auto c = server::pg::Connection::Open(AdminUri());
  if (!c.ok()) throw std::runtime_error(c.status().ToString());
  // A database name is an identifier, not a value: these are made of
  // letters, digits and underscores only.
  std::string sql = "CREATE DATABASE " + name;
  if (!template_name.empty()) sql += " TEMPLATE " + template_name;
  if (Status s = (*c)->Script(sql); !s.ok()) throw std::runtime_error(s.ToString());
  const std::string admin = AdminUri();
  return admin.substr(0, admin.find("///") + 3) + name + admin.substr(admin.find('?'));
}

std::string DatabaseName(const std::string& uri) {
  const auto start = uri.find("///") + 3;
  return uri.substr(start, uri.find('?') - start);
}

}  // namespace

std::string StoreBackend() { return AdminUri() != nullptr ? "postgresql" : "sqlite"; }

std::string FreshStore(const std::string& sqlite_path) {
  return AdminUri() == nullptr ? sqlite_path : NewDatabase("");
}

std::string BackUpStore(const std::string& db, const std::string& sqlite_copy) {
  if (AdminUri() == nullptr) {
    std::filesystem::copy_file(db, sqlite_copy);
    return sqlite_copy;
  }
  return NewDatabase(DatabaseName(db));
}


}  // namespace loyalty::testing
