#include "nfc/type2_tag.hpp"

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

}  // namespace loyalty::readers
