// Plays the worked examples of examples/programs/*.examples.md, the tables
// a loyalty manager reads, against the library.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

namespace fs = std::filesystem;

struct Example {
  std::string file;
  std::string name;
  std::string time;
  std::string before;
  std::string basket;
  std::string takes;
  std::string earns;
  std::string off;
};

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) out.push_back(Trim(part));
  return out;
}

std::vector<Example> ReadExamples(const fs::path& file) {
  std::vector<Example> examples;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) != 0 || line.rfind("| example", 0) == 0) continue;
    auto cells = Split(line.substr(1, line.size() - 2), '|');
    if (cells.size() != 8) continue;
    examples.push_back({file.filename().string(), cells[0], cells[1], cells[2], cells[3],
                        cells[4], cells[5], cells[6]});
  }
  return examples;
}

std::int64_t Minor(const std::string& text) {
  auto m = Money::Parse(text, *Currency::FromCode("EUR"));
  EXPECT_TRUE(m.ok()) << text;
  return m.ok() ? m->minor() : 0;
}

// "2x MILK/dairy 1.50; 1x BREAD/bakery 2.50"
Basket ParseBasket(const std::string& text) {
  Basket basket{"EUR", {}};
  for (const std::string& item : Split(text, ';')) {
    const auto x = item.find("x ");
    const auto slash = item.find('/');
    const auto space = item.rfind(' ');
    const std::int64_t qty = std::stoll(item.substr(0, x));
    basket.lines.push_back({item.substr(x + 2, slash - x - 2),
                            item.substr(slash + 1, space - slash - 1), qty,
                            qty * Minor(item.substr(space + 1)), false});
  }
  return basket;
}

std::int64_t UtcMs(const std::string& zone, const std::string& local) {
  int y = 0;
  unsigned mo = 0;
  unsigned d = 0;
  int h = 0;
  int mi = 0;
  EXPECT_EQ(std::sscanf(local.c_str(), "%d-%u-%u %d:%d", &y, &mo, &d, &h, &mi), 5) << local;
  const date::local_days day{date::year{y} / date::month{mo} / date::day{d}};
  const auto t = day + std::chrono::hours{h} + std::chrono::minutes{mi};
  const auto utc = date::locate_zone(zone)->to_sys(t);
  return std::chrono::duration_cast<std::chrono::milliseconds>(utc.time_since_epoch()).count();
}

struct ProgramUnderTest {
  std::string name;
  std::string card;  // a number this program accepts
};

class WorkedExamplesTest : public ::testing::TestWithParam<ProgramUnderTest> {};

TEST_P(WorkedExamplesTest, EveryRowHoldsAtTheTill) {
  const fs::path dir = LOYALTY_PROGRAMS_DIR;
  const std::string name = GetParam().name;
  std::ifstream program_file(dir / (name + ".json"));
  const std::string program((std::istreambuf_iterator<char>(program_file)),
                            std::istreambuf_iterator<char>());
  const std::string zone =
      program.substr(program.find("\"time_zone\": \"") + 14,
                     program.find('"', program.find("\"time_zone\": \"") + 14) -
                         program.find("\"time_zone\": \"") - 14);
  const auto examples = ReadExamples(dir / (name + ".examples.md"));
  ASSERT_GE(examples.size(), 5u) << "no worked examples read for " << name;
  for (const Example& ex : examples) {
    SCOPED_TRACE(ex.file + ": " + ex.name);
    testing::TestTerminal t(program);
    ASSERT_NE(t.terminal, nullptr);
    const CardId card = testing::Card(GetParam().card);
    const std::int64_t at = UtcMs(zone, ex.time);
    const std::int64_t day = 86'400'000;
    t.clock.SetMs(at - 30 * day);
    ASSERT_TRUE(t->Enroll({"enrol", card, "", "Member"}).ok());
    if (ex.before.rfind("spent ", 0) == 0) {
      t.clock.SetMs(at - day);
      ASSERT_TRUE(t->Commit({"before", card, Basket{"EUR", {{"SETUP", "setup", 1,
                                                            Minor(ex.before.substr(6)), false}}},
                             0})
                      .ok());
    } else if (ex.before.rfind("points ", 0) == 0) {
      ASSERT_TRUE(t->Adjust({"before", card, std::stoll(ex.before.substr(7)), "manager",
                             "worked example"})
                      .ok());
    } else if (ex.before.rfind("stamps ", 0) == 0) {
      const int n = std::stoi(ex.before.substr(7));
      for (int i = 0; i < n; ++i) {
        t.clock.SetMs(at - (n - i) * day);
        ASSERT_TRUE(t->Commit({"before-" + std::to_string(i), card,
                               Basket{"EUR", {{"LATTE", "coffee", 1, 350, false}}}, 0})
                        .ok());
      }
    } else {
      ASSERT_EQ(ex.before, "-");
    }
    t.clock.SetMs(at);
    Checkout checkout{"sale", card, ParseBasket(ex.basket), 0};
    if (ex.takes != "-") {
      for (const std::string& take : Split(ex.takes, ',')) {
        if (take.rfind("coupon:", 0) == 0) {
          checkout.coupons.push_back(take.substr(7));
        } else {
          checkout.rewards.push_back(take);
        }
      }
    }
    auto sale = t->Commit(checkout);
    if (ex.earns.rfind("refused: ", 0) == 0) {
      ASSERT_FALSE(sale.ok());
      EXPECT_NE(sale.status().message().find(ex.earns.substr(9)), std::string::npos)
          << sale.status().message();
      continue;
    }
    ASSERT_TRUE(sale.ok()) << sale.status().ToString();
    EXPECT_EQ(sale->earned, std::stoll(ex.earns));
    EXPECT_EQ(sale->discount_minor, Minor(ex.off));
    EXPECT_TRUE(t->Verify()->ok);
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, WorkedExamplesTest,
                         ::testing::Values(ProgramUnderTest{"supermarket", "9900123456789017"},
                                           ProgramUnderTest{"coffee", "7700000001"},
                                           ProgramUnderTest{"fashion", "420000000018"}),
                         [](const auto& program) { return program.param.name; });

}  // namespace
}  // namespace loyalty
