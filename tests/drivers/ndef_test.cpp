// NDEF messages and Type 2 TLVs as NTAG21x cards hold them.
#include "nfc/ndef.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nfc/type2_tag.hpp"
#include "nfc/type4_tag.hpp"

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
  // Found by type2_tlv_fuzz: bytes read past a small data area (a READ
  // answers 16 at a time) held the rest of a TLV that runs past the area.
  Bytes past = {0x03, 0x05, 1, 2, 3, 4, 5, 0xFE};
  scan = ScanType2Tlvs(past, 4);
  EXPECT_EQ(scan.state, Type2Scan::State::kMalformed);
  EXPECT_EQ(ScanType2Tlvs(past, 8).state, Type2Scan::State::kFound);
}


// A tag's memory from page 3 on, read 16 bytes at a time as a reader does;
// `answer` cuts each answer (a reader that returns less than it should).
Type2PageReader TagMemory(const Bytes& memory, std::size_t answer = 16) {
  return [memory, answer](std::uint8_t page) -> Result<Bytes> {
    const std::size_t at = (static_cast<std::size_t>(page) - 3) * 4;
    if (at >= memory.size()) return Bytes();
    const std::size_t n = std::min(answer, memory.size() - at);
    return Bytes(memory.begin() + static_cast<std::ptrdiff_t>(at),
                 memory.begin() + static_cast<std::ptrdiff_t>(at + n));
  };
}

Bytes Ntag213With(const Bytes& tlvs) {
  Bytes memory = {0xE1, 0x10, 0x12, 0x00};
  memory.insert(memory.end(), tlvs.begin(), tlvs.end());
  memory.resize(4 + 144, 0x00);
  return memory;
}

TEST(Type2Tag, ReadsTheNumberAcrossPages) {
  Bytes tlvs = {0x01, 0x03, 0xA0, 0x0C, 0x34, 0x03};
  const Bytes record = TextRecord("9900123456789017");
  tlvs.push_back(static_cast<std::uint8_t>(record.size()));
  tlvs.insert(tlvs.end(), record.begin(), record.end());
  tlvs.push_back(0xFE);
  auto number = ReadType2NdefNumber(TagMemory(Ntag213With(tlvs)));
  ASSERT_TRUE(number.ok()) << number.status().message();
  EXPECT_EQ(number->value_or("none"), "9900123456789017");
}

TEST(Type2Tag, AReaderThatAnswersPartPagesReadsTheSameNumber) {
  Bytes tlvs = {0x03};
  const Bytes record = TextRecord("9900123456789017");
  tlvs.push_back(static_cast<std::uint8_t>(record.size()));
  tlvs.insert(tlvs.end(), record.begin(), record.end());
  for (std::size_t answer : {5u, 7u, 13u}) {
    auto number = ReadType2NdefNumber(TagMemory(Ntag213With(tlvs), answer));
    ASSERT_TRUE(number.ok()) << answer << ": " << number.status().message();
    EXPECT_EQ(number->value_or("none"), "9900123456789017") << answer;
  }
}

TEST(Type2Tag, NoNdefAndBrokenReads) {
  auto blank = ReadType2NdefNumber(TagMemory(Bytes(20, 0x00)));
  ASSERT_TRUE(blank.ok());
  EXPECT_FALSE(blank->has_value());
  auto short_first = ReadType2NdefNumber(TagMemory(Bytes{0xE1, 0x10}));
  ASSERT_TRUE(short_first.ok());
  EXPECT_FALSE(short_first->has_value());
  // The message goes on past what the reader returns.
  auto cut = ReadType2NdefNumber(TagMemory(Bytes{0xE1, 0x10, 0x12, 0x00, 0x03, 0x20, 0xD1}));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("returned less than a page"), std::string::npos);
  // A reader that keeps answering three bytes is not asked forever.
  auto three = ReadType2NdefNumber(TagMemory(Ntag213With(Bytes{0x03, 0x20, 0xD1}), 3));
  ASSERT_TRUE(three.ok());  // its first answer is shorter than the CC page: no NDEF
  const Bytes memory = Ntag213With(Bytes{0x03, 0x20, 0xD1});
  auto stuck = ReadType2NdefNumber([&](std::uint8_t page) -> Result<Bytes> {
    if (page == 3) return TagMemory(memory)(page);
    return Bytes{0x00, 0x00, 0x00};
  });
  ASSERT_FALSE(stuck.ok());
  EXPECT_NE(stuck.status().message().find("returned less than a page"), std::string::npos);
  auto failed = ReadType2NdefNumber(
      [](std::uint8_t) -> Result<Bytes> { return Status(StatusCode::kBadRead, "NFC: gone"); });
  EXPECT_EQ(failed.status().code(), StatusCode::kBadRead);
}

TEST(Type4Tag, ApduAnswerDataCutsTheStatusWord) {
  auto data = ApduAnswerData(Bytes{0x01, 0x02, 0x90, 0x00}, "reading the NDEF file");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, (Bytes{0x01, 0x02}));
  for (const Bytes& refused : {Bytes{0x6A, 0x82}, Bytes{0x90}, Bytes{}}) {
    auto answer = ApduAnswerData(refused, "selecting the NDEF file");
    ASSERT_FALSE(answer.ok());
    EXPECT_NE(answer.status().message().find("refused selecting the NDEF file"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace loyalty::readers
