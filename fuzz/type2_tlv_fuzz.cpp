// NFC Forum Type 2 tag memory (NTAG21x, Ultralight) as a card returns it:
// the input is the tag from page 3 (the capability container) on. The TLV
// scanner runs on the data area as read so far, and the whole NDEF read
// runs over the input as the tag's pages.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "nfc/type2_tag.hpp"

namespace {

using loyalty::readers::Type2Scan;

void CheckScan(std::span<const std::uint8_t> data, std::size_t area) {
  const Type2Scan scan = loyalty::readers::ScanType2Tlvs(data, area);
  switch (scan.state) {
    case Type2Scan::State::kFound:
      // The message lies inside what was read and inside the data area.
      if (scan.length == 0 || scan.offset + scan.length > data.size() ||
          scan.offset + scan.length > area) {
        std::abort();
      }
      break;
    case Type2Scan::State::kNeedMore:
      // Asks for more than it has, never past the data area.
      if (scan.bytes_needed <= data.size() || scan.bytes_needed > area) std::abort();
      break;
    case Type2Scan::State::kMalformed:
      if (scan.problem.empty()) std::abort();
      break;
    case Type2Scan::State::kNoNdef:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> tag(data, size);
  const std::size_t area = loyalty::readers::Type2DataAreaSize(tag.first(std::min<std::size_t>(4, size)));
  if (size > 4) {
    const auto area_bytes = tag.subspan(4);
    CheckScan(area_bytes, area);
    CheckScan(area_bytes.first(area_bytes.size() / 2), area);
    CheckScan(area_bytes, area_bytes.size());  // a data area as large as what was read
  }
  // A READ answers 16 bytes from the page asked for; past the tag's end the
  // answer is short, then empty (a tag that stops answering).
  int reads = 0;
  auto number = loyalty::readers::ReadType2NdefNumber(
      [&](std::uint8_t page) -> loyalty::Result<std::vector<std::uint8_t>> {
        if (++reads > 300) std::abort();  // at most 64 reads reach page 255
        if (page < 3) std::abort();
        const std::size_t at = (static_cast<std::size_t>(page) - 3) * 4;
        if (at >= size) return std::vector<std::uint8_t>();
        const auto block = tag.subspan(at, std::min<std::size_t>(16, size - at));
        return std::vector<std::uint8_t>(block.begin(), block.end());
      });
  if (number.ok() && number->has_value() && (*number)->empty()) std::abort();
  return 0;
}
