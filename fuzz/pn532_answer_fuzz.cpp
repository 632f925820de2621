// What a PN532 answers a tap, as libnfc hands it to NfcReader: libnfc
// parses the PN532's frames (its pn532_uart driver, a Debian package, not
// this project's code); what reaches the project's code is the selected
// target (ATQA, SAK, UID), each Type 2 READ's 16 bytes (or a failed
// transceive) and each ISO-DEP APDU answer. The input is those answers one
// after another (reader_answers.hpp), through the code NfcReader runs on
// them.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "loyalty/card.hpp"
#include "nfc/sun_tap.hpp"
#include "nfc/type2_tag.hpp"
#include "nfc/type4_tag.hpp"
#include "reader_answers.hpp"

namespace {

using loyalty::Result;
using loyalty::Status;
using loyalty::StatusCode;
using Bytes = std::vector<std::uint8_t>;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  loyalty::fuzzing::ReaderAnswers answers({data, size});
  // The target: ATQA (2), SAK (1), then the UID, at most 10 bytes as in
  // libnfc's nfc_iso14443a_info.
  auto target = answers.Next();
  if (!target || target->size() < 3) return 0;
  const std::span<const std::uint8_t> uid =
      std::span(*target).subspan(3, std::min<std::size_t>(target->size() - 3, 10));
  const std::string uid_hex = loyalty::readers::UpperHex(uid);
  (void)loyalty::CardId::Parse(uid_hex);
  const bool type2 = (*target)[0] == 0x00 && (*target)[1] == 0x44 && (*target)[2] == 0x00;
  const bool iso_dep = ((*target)[2] & 0x20) != 0;
  if (type2 || !iso_dep) {
    // NfcReader::ReadNdefNumber: a READ that does not return 16 bytes failed.
    (void)loyalty::readers::ReadType2NdefNumber([&](std::uint8_t) -> Result<Bytes> {
      auto block = answers.Next();
      if (!block || block->size() != 16) return Status(StatusCode::kBadRead, "NFC: read failed");
      return *block;
    });
  }
  // NfcReader::Apdu: libnfc's answer, through the same check.
  loyalty::fuzzing::FuzzSunAuthority authority;
  (void)loyalty::readers::VerifySunTap(
      [&](const Bytes&, const char* what) -> Result<Bytes> {
        auto answer = answers.Next();
        if (!answer) return Status(StatusCode::kBadRead, std::string("NFC: ") + what + " failed");
        return loyalty::readers::ApduAnswerData(*answer, what);
      },
      uid_hex, authority);
  return 0;
}
