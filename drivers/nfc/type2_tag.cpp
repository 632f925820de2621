#include "nfc/type2_tag.hpp"

#include <algorithm>

#include "nfc/ndef.hpp"

namespace loyalty::readers {
namespace {

constexpr std::uint8_t kNullTlv = 0x00;
constexpr std::uint8_t kNdefTlv = 0x03;
constexpr std::uint8_t kTerminatorTlv = 0xFE;

Type2Scan Need(std::size_t bytes, std::size_t area_size) {
  Type2Scan scan;
  if (bytes > area_size) {
    scan.state = Type2Scan::State::kMalformed;
    scan.problem = "NDEF: a TLV runs past the tag's data area";
    return scan;
  }
  scan.state = Type2Scan::State::kNeedMore;
  scan.bytes_needed = bytes;
  return scan;
}

}  // namespace

std::size_t Type2DataAreaSize(std::span<const std::uint8_t> cc) {
  if (cc.size() < 4 || cc[0] != 0xE1) return 0;
  return static_cast<std::size_t>(cc[2]) * 8;
}

Type2Scan ScanType2Tlvs(std::span<const std::uint8_t> data, std::size_t area_size) {
  // Bytes read past the data area (a READ answers 16 at a time) are not
  // the tag's NDEF data: a TLV reaching into them is malformed.
  data = data.first(std::min(data.size(), area_size));
  std::size_t pos = 0;
  for (;;) {
    if (pos >= area_size) return {Type2Scan::State::kNoNdef, 0, 0, 0, ""};
    if (pos >= data.size()) return Need(pos + 1, area_size);
    const std::uint8_t tag = data[pos];
    if (tag == kNullTlv) {
      ++pos;
      continue;
    }
    if (tag == kTerminatorTlv) return {Type2Scan::State::kNoNdef, 0, 0, 0, ""};
    if (pos + 2 > data.size()) return Need(pos + 2, area_size);
    std::size_t length = data[pos + 1];
    std::size_t header = 2;
    if (length == 0xFF) {
      if (pos + 4 > data.size()) return Need(pos + 4, area_size);
      length = (static_cast<std::size_t>(data[pos + 2]) << 8) | data[pos + 3];
      header = 4;
    }
    const std::size_t end = pos + header + length;
    if (tag == kNdefTlv) {
      if (length == 0) return {Type2Scan::State::kNoNdef, 0, 0, 0, ""};
      if (end > data.size()) return Need(end, area_size);
      return {Type2Scan::State::kFound, 0, pos + header, length, ""};
    }
    pos = end;  // lock control, memory control, proprietary: skipped
  }
}

Result<std::optional<std::string>> ReadType2NdefNumber(const Type2PageReader& read_pages) {
  auto first = read_pages(3);
  if (!first.ok()) return first.status();
  if (first->size() < 4) return std::optional<std::string>();
  const std::size_t area = Type2DataAreaSize(std::span(*first).first(4));
  if (area == 0) return std::optional<std::string>();
  std::vector<std::uint8_t> data(first->begin() + 4, first->end());
  for (;;) {
    if (data.size() > area) data.resize(area);
    Type2Scan scan = ScanType2Tlvs(data, area);
    switch (scan.state) {
      case Type2Scan::State::kNoNdef:
        return std::optional<std::string>();
      case Type2Scan::State::kMalformed:
        return Status(StatusCode::kBadRead, scan.problem);
      case Type2Scan::State::kFound: {
        auto number = LoyaltyNumberFromNdef(std::span(data).subspan(scan.offset, scan.length));
        if (!number.ok()) return number.status();
        return std::optional<std::string>(std::move(number).value());
      }
      case Type2Scan::State::kNeedMore:
        break;
    }
    // An answer that ends inside a page (a reader that returned 13 bytes)
    // is read again from that page, or the next page's bytes would land
    // at the wrong offset.
    data.resize(data.size() - data.size() % 4);
    const std::size_t page = kType2FirstDataPage + data.size() / 4;
    if (page > 0xFF) return Status(StatusCode::kBadRead, "NDEF: message beyond page 255");
    auto more = read_pages(static_cast<std::uint8_t>(page));
    if (!more.ok()) return more.status();
    // Each read must bring a whole page, or a reader that keeps answering
    // three bytes would be asked for the same page forever.
    if (more->size() < 4) {
      return Status(StatusCode::kBadRead, "NFC: the reader returned less than a page; tap again");
    }
    data.insert(data.end(), more->begin(), more->end());
  }
}

}  // namespace loyalty::readers
