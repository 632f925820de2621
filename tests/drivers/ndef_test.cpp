// NDEF messages and Type 2 TLVs as NTAG21x cards hold them.
#include "nfc/ndef.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nfc/type2_tag.hpp"

namespace loyalty::readers {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes TextRecord(const std::string& text, std::uint8_t flags = 0xD1) {
  Bytes r = {flags, 0x01, static_cast<std::uint8_t>(3 + text.size()), 'T', 0x02, 'e', 'n'};
  r.insert(r.end(), text.begin(), text.end());
  return r;
}

Bytes UriRecord(std::uint8_t prefix, const std::string& rest, std::uint8_t flags = 0xD1) {
  Bytes r = {flags, 0x01, static_cast<std::uint8_t>(1 + rest.size()), 'U', prefix};
  r.insert(r.end(), rest.begin(), rest.end());
  return r;
}

TEST(Ndef, TextRecordGivesTheNumber) {
  auto number = LoyaltyNumberFromNdef(TextRecord("9900123456789017"));
  ASSERT_TRUE(number.ok()) << number.status().ToString();
  EXPECT_EQ(*number, "9900123456789017");
}

TEST(Ndef, UriRecordGivesTheLastPathSegmentOrCardQuery) {
  auto number = LoyaltyNumberFromNdef(UriRecord(0x04, "loyalty.example.com/c/9900123456789017/"));
  ASSERT_TRUE(number.ok()) << number.status().ToString();
  EXPECT_EQ(*number, "9900123456789017");
  number = LoyaltyNumberFromNdef(UriRecord(0x04, "example.com/join?shop=12&card=9900000000000002#x"));
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(*number, "9900000000000002");
  EXPECT_FALSE(LoyaltyNumberFromNdef(UriRecord(0x04, "example.com")).ok());
}

TEST(Ndef, UriPrefixIsExpanded) {
  Bytes payload = {0x02, 'a', '.', 'b'};
  EXPECT_EQ(ExpandUri(payload), "https://www.a.b");
}

TEST(Ndef, TextRecordWinsOverAnEarlierUri) {
  Bytes message = UriRecord(0x04, "example.com/c/1111", 0x91);  // MB, SR, not ME
  Bytes text = TextRecord("9900123456789017", 0x51);           // ME, SR
  message.insert(message.end(), text.begin(), text.end());
  auto records = ParseNdefMessage(message);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 2u);
  EXPECT_EQ(*LoyaltyNumberFromNdef(message), "9900123456789017");
}

TEST(Ndef, LongRecordWithIdField) {
  // Not short (4-byte length) and with an ID: MB ME IL, TNF 1.
  Bytes message = {0xC9, 0x01, 0x00, 0x00, 0x00, 0x07, 0x02, 'T', 'i', 'd',
                   0x02, 'e', 'n', '9', '9', '0', '0'};
  auto number = LoyaltyNumberFromNdef(message);
  ASSERT_TRUE(number.ok()) << number.status().ToString();
  EXPECT_EQ(*number, "9900");
}

TEST(Ndef, MalformedMessagesAreBadReads) {
  Bytes cut = TextRecord("9900123456789017");
  cut.resize(cut.size() - 3);
  EXPECT_EQ(LoyaltyNumberFromNdef(cut).status().code(), StatusCode::kBadRead);
  EXPECT_NE(LoyaltyNumberFromNdef(cut).status().message().find("record 1 runs past"),
            std::string::npos);
  EXPECT_FALSE(LoyaltyNumberFromNdef(TextRecord("9900", 0x11)).ok()) << "no MB";
  EXPECT_FALSE(LoyaltyNumberFromNdef(TextRecord("9900", 0x91)).ok()) << "no ME, nothing after";
  EXPECT_FALSE(LoyaltyNumberFromNdef(TextRecord("9900", 0xF1)).ok()) << "chunked";
  EXPECT_FALSE(LoyaltyNumberFromNdef(Bytes{}).ok());
  Bytes utf16 = TextRecord("99");
  utf16[4] = 0x82;
  EXPECT_NE(LoyaltyNumberFromNdef(utf16).status().message().find("UTF-16"), std::string::npos);
  Bytes bad_lang = TextRecord("");
  bad_lang[4] = 0x3F;
  EXPECT_FALSE(LoyaltyNumberFromNdef(bad_lang).ok());
}

TEST(Ndef, MessageWithoutTextOrUri) {
  Bytes mime = {0xD2, 0x0A, 0x01, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', 'x'};
  auto number = LoyaltyNumberFromNdef(mime);
  EXPECT_EQ(number.status().code(), StatusCode::kBadRead);
  EXPECT_NE(number.status().message().find("no Text or URI record"), std::string::npos);
}

TEST(Type2Tag, CapabilityContainer) {
  EXPECT_EQ(Type2DataAreaSize(Bytes{0xE1, 0x10, 0x12, 0x00}), 144u);  // NTAG213
  EXPECT_EQ(Type2DataAreaSize(Bytes{0x00, 0x00, 0x00, 0x00}), 0u);    // blank
}

TEST(Type2Tag, FindsTheNdefTlvAfterLockControl) {
  Bytes data = {0x01, 0x03, 0xA0, 0x0C, 0x34, 0x03, 0x05, 1, 2, 3, 4, 5, 0xFE};
  auto scan = ScanType2Tlvs(data, 144);
  ASSERT_EQ(scan.state, Type2Scan::State::kFound);
  EXPECT_EQ(scan.offset, 7u);
  EXPECT_EQ(scan.length, 5u);
}

TEST(Type2Tag, AsksForMorePagesUntilTheMessageIsComplete) {
  Bytes data = {0x03, 0x20, 0xD1};
  auto scan = ScanType2Tlvs(data, 144);
  ASSERT_EQ(scan.state, Type2Scan::State::kNeedMore);
  EXPECT_EQ(scan.bytes_needed, 34u);
  data = {0x00, 0x03, 0xFF};  // three-byte length not yet read
  scan = ScanType2Tlvs(data, 144);
  ASSERT_EQ(scan.state, Type2Scan::State::kNeedMore);
  EXPECT_EQ(scan.bytes_needed, 5u);
}

TEST(Type2Tag, BlankAndBrokenTags) {
  EXPECT_EQ(ScanType2Tlvs(Bytes{0x03, 0x00, 0xFE}, 144).state, Type2Scan::State::kNoNdef);
  EXPECT_EQ(ScanType2Tlvs(Bytes{0xFE}, 144).state, Type2Scan::State::kNoNdef);
  EXPECT_EQ(ScanType2Tlvs(Bytes(48, 0x00), 48).state, Type2Scan::State::kNoNdef);
  auto scan = ScanType2Tlvs(Bytes{0x03, 0xF0, 0xD1}, 144);
  EXPECT_EQ(scan.state, Type2Scan::State::kMalformed);
  EXPECT_NE(scan.problem.find("past the tag's data area"), std::string::npos);
}

}  // namespace
}  // namespace loyalty::readers
