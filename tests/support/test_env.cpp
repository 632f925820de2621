#include "support/test_env.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace loyalty::testing {

ScratchDir::ScratchDir(const std::filesystem::path& parent) {
  std::random_device rd;
  path_ = parent /
          ("loyalty-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

std::string DefaultProgramJson(const std::string& extra_fields) {
  return R"({"format": 1, "id": "test", "version": 1, "name": "Test Rewards",
             "currency": "EUR", "earn": {"points": 1, "per": "1.00"})" +
         (extra_fields.empty() ? std::string() : ", " + extra_fields) + "}";
}

TestTerminal::TestTerminal(const std::string& program_json) {
  options.database_path = dir.File("ledger.db");
  options.terminal_id = "till-1";
  options.terminal_key = kTestKey;
  options.program_path = WriteFile(dir.File("program.json"), program_json);
  options.clock = &clock;
  Reopen();
}

void TestTerminal::Reopen() {
  terminal.reset();
  auto opened = Terminal::Open(options);
  if (!opened.ok()) {
    ADD_FAILURE() << "Terminal::Open: " << opened.status().ToString();
    return;
  }
  terminal = std::move(*opened);
}

CardId Card(const std::string& number) {
  auto card = CardId::Parse(number);
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? *card : CardId();
}

Basket Eur(std::initializer_list<std::int64_t> line_amounts_minor) {
  Basket basket;
  basket.currency = "EUR";
  int n = 0;
  for (std::int64_t amount : line_amounts_minor) {
    basket.lines.push_back({"SKU" + std::to_string(++n), "grocery", 1, amount, false});
  }
  return basket;
}

}  // namespace loyalty::testing
