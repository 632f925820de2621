// The open options of issue 18 through the C ABI: a key file that must be
// owner-only, a program bound to the ledger (and the explicit opt-out), a
// read-only open that writes nothing, a ledger that must exist.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "capi_results.hpp"
#include "loyalty/loyalty.h"
#include "support/test_env.hpp"

namespace {

using loyalty::capi_testing::Int;
using loyalty::capi_testing::Owned;
using loyalty::testing::ScratchDir;
using loyalty::testing::WriteFile;

class CapiOpenOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(loyalty_options_new(&o_), LOYALTY_OK);
    db_ = dir_.File("ledger.db");
    program_ = WriteFile(dir_.File("program.json"), loyalty::testing::DefaultProgramJson());
    key_ = WriteFile(dir_.File("till.key"), loyalty::testing::kTestKey);
    ASSERT_EQ(::chmod(key_.c_str(), 0600), 0);
    ASSERT_EQ(loyalty_options_set_database_path(o_, db_.c_str()), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_terminal_id(o_, "till-9"), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_terminal_key_file(o_, key_.c_str()), LOYALTY_OK);
    ASSERT_EQ(loyalty_options_set_program_path(o_, program_.c_str()), LOYALTY_OK);
  }
  void TearDown() override { loyalty_options_free(o_); }

  loyalty_status Open(loyalty_terminal** t) { return loyalty_open(o_, t); }

  ScratchDir dir_;
  std::string db_, program_, key_;
  loyalty_options* o_ = nullptr;
};

TEST_F(CapiOpenOptionsTest, AKeyFileOthersMayReadIsRefusedNamingItsMode) {
  ASSERT_EQ(::chmod(key_.c_str(), 0640), 0);
  loyalty_terminal* t = nullptr;
  EXPECT_EQ(Open(&t), LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("mode 0640"), std::string::npos)
      << loyalty_last_error();
  EXPECT_FALSE(std::filesystem::exists(db_)) << "nothing written before the key is good";
  ASSERT_EQ(::chmod(key_.c_str(), 0600), 0);
  ASSERT_EQ(Open(&t), LOYALTY_OK) << loyalty_last_error();
  loyalty_close(t);
}

TEST_F(CapiOpenOptionsTest, AProgramChangedOnDiskNeedsTheExplicitOptOut) {
  loyalty_terminal* t = nullptr;
  ASSERT_EQ(Open(&t), LOYALTY_OK) << loyalty_last_error();
  loyalty_close(t);
  std::string changed = loyalty::testing::DefaultProgramJson();
  changed.replace(changed.find("Test Rewards"), 12, "Test Rewards 2");
  WriteFile(program_, changed);
  EXPECT_EQ(Open(&t), LOYALTY_TAMPERED);
  EXPECT_NE(std::string(loyalty_last_error()).find("unsigned change on disk"), std::string::npos)
      << loyalty_last_error();
  ASSERT_EQ(loyalty_options_set_allow_unsigned_program_change(o_, 1), LOYALTY_OK);
  ASSERT_EQ(Open(&t), LOYALTY_OK) << loyalty_last_error();
  Owned report;
  ASSERT_EQ(loyalty_verify(t, nullptr, nullptr, report.out()), LOYALTY_OK);
  EXPECT_EQ(Int(report.get(), LOYALTY_VERIFY_OK), 1);
  EXPECT_EQ(Int(report.get(), LOYALTY_VERIFY_ENTRIES_CHECKED), 2) << "two programs recorded";
  loyalty_close(t);
}

TEST_F(CapiOpenOptionsTest, AReadOnlyOpenLooksUpAndVerifiesAndRefusesWrites) {
  loyalty_terminal* t = nullptr;
  ASSERT_EQ(Open(&t), LOYALTY_OK) << loyalty_last_error();
  Owned enrolled;
  ASSERT_EQ(loyalty_enroll(t, "e1", "LC-0001", nullptr, "Ada", nullptr, enrolled.out()),
            LOYALTY_OK);
  loyalty_close(t);
  ASSERT_EQ(loyalty_options_set_read_only(o_, 1), LOYALTY_OK);
  ASSERT_EQ(Open(&t), LOYALTY_OK) << loyalty_last_error();
  Owned card, report, adjusted;
  EXPECT_EQ(loyalty_lookup(t, "LC-0001", card.out()), LOYALTY_OK);
  ASSERT_EQ(loyalty_verify(t, nullptr, nullptr, report.out()), LOYALTY_OK);
  EXPECT_EQ(Int(report.get(), LOYALTY_VERIFY_OK), 1);
  EXPECT_EQ(loyalty_adjust(t, "a1", "LC-0001", 5, "lead", "x", nullptr, adjusted.out()),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_NE(std::string(loyalty_last_error()).find("read_only"), std::string::npos);
  loyalty_close(t);
}

TEST_F(CapiOpenOptionsTest, AWipedLedgerIsRefusedWhenItMustExist) {
  loyalty_terminal* t = nullptr;
  ASSERT_EQ(Open(&t), LOYALTY_OK) << loyalty_last_error();
  loyalty_close(t);
  std::filesystem::resize_file(db_, 0);
  ASSERT_EQ(loyalty_options_set_ledger_must_exist(o_, 1), LOYALTY_OK);
  EXPECT_EQ(Open(&t), LOYALTY_TAMPERED);
  EXPECT_NE(std::string(loyalty_last_error()).find("empty (0 bytes)"), std::string::npos)
      << loyalty_last_error();
}

}  // namespace
