// NTAG 424 DNA SUN messages against NXP AN12196's worked example.
#include "nfc/sun_message.hpp"

#include <gtest/gtest.h>

namespace loyalty::readers {
namespace {

const AesKey kZeroKey{};
// AN12196, "SUN message": all keys zero.
constexpr char kE[] = "EF963FF7828658A599F3041510671E88";
constexpr char kC[] = "94EED9EE65337086";

TEST(SunMessage, An12196ExampleDecryptsToItsUidAndCounter) {
  auto picc = DecryptSunPiccData(kE, kZeroKey);
  ASSERT_TRUE(picc.ok()) << picc.status().ToString();
  EXPECT_EQ(picc->uid_hex, "04DE5F1EACC040");
  EXPECT_EQ(picc->counter, 61u);
  EXPECT_TRUE(VerifySunMac(*picc, kC, kZeroKey).ok());
  EXPECT_TRUE(VerifySunMac(*picc, "94eed9ee65337086", kZeroKey).ok()) << "hex case does not matter";
}

TEST(SunMessage, AlteredMacOrCounterDoesNotVerify) {
  auto picc = DecryptSunPiccData(kE, kZeroKey);
  ASSERT_TRUE(picc.ok());
  Status bad = VerifySunMac(*picc, "94EED9EE65337087", kZeroKey);
  EXPECT_EQ(bad.code(), StatusCode::kBadRead);
  EXPECT_NE(bad.message().find("does not verify"), std::string::npos);
  SunPiccData later = *picc;
  later.counter = 62;
  EXPECT_FALSE(VerifySunMac(later, kC, kZeroKey).ok());
}

TEST(SunMessage, WrongKeysAreRefused) {
  AesKey other{};
  other[0] = 1;
  EXPECT_EQ(DecryptSunPiccData(kE, other).status().code(), StatusCode::kBadRead);
  auto picc = DecryptSunPiccData(kE, kZeroKey);
  ASSERT_TRUE(picc.ok());
  EXPECT_FALSE(VerifySunMac(*picc, kC, other).ok());
}

TEST(SunMessage, MalformedHexIsABadRead) {
  EXPECT_FALSE(DecryptSunPiccData("EF96", kZeroKey).ok());
  EXPECT_FALSE(DecryptSunPiccData("XX963FF7828658A599F3041510671E88", kZeroKey).ok());
  auto picc = DecryptSunPiccData(kE, kZeroKey);
  EXPECT_FALSE(VerifySunMac(*picc, "94EED9", kZeroKey).ok());
}

TEST(SunMessage, MakingAMessageReproducesTheExample) {
  // The example's padding bytes are whatever decrypting it gives; the MAC
  // does not depend on them.
  const std::uint8_t uid[] = {0x04, 0xDE, 0x5F, 0x1E, 0xAC, 0xC0, 0x40};
  const std::uint8_t padding[5] = {1, 2, 3, 4, 5};
  SunParameters made = MakeSunParameters(uid, 61, kZeroKey, kZeroKey, padding);
  EXPECT_EQ(made.c, kC);
  auto picc = DecryptSunPiccData(made.e, kZeroKey);
  ASSERT_TRUE(picc.ok());
  EXPECT_EQ(picc->uid_hex, "04DE5F1EACC040");
  EXPECT_EQ(picc->counter, 61u);
}

TEST(SunMessage, ParametersFromTheCardsUrl) {
  auto p = SunParametersFromUri("https://shop.example/t?uid=1&e=" + std::string(kE) + "&c=" + kC);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->e, kE);
  EXPECT_EQ(p->c, kC);
  p = SunParametersFromUri("https://x/?picc_data=" + std::string(kE) + "&cmac=" + kC + "#top");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->c, kC);
  EXPECT_EQ(SunParametersFromUri("https://shop.example/c/9900123456789017").status().code(),
            StatusCode::kBadRead);
}

}  // namespace
}  // namespace loyalty::readers
