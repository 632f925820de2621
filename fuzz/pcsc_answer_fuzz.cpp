// What a PC/SC reader (ACR1252U class, through pcscd) answers a tap, one
// APDU answer after another (reader_answers.hpp), through the code
// PcscReader runs on them: the status word check (PcscAnswer), the UID
// as a card id, the Type 2 NDEF read and the NTAG 424 secure message read.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "loyalty/card.hpp"
#include "nfc/sun_tap.hpp"
#include "nfc/type2_tag.hpp"
#include "pcsc/pcsc_answer.hpp"
#include "reader_answers.hpp"

namespace {

using loyalty::Result;
using loyalty::Status;
using loyalty::StatusCode;
using Bytes = std::vector<std::uint8_t>;

// SCardTransmit's part: a card gone answers nothing; the rest is the
// reader's bytes as PcscReader::Transmit hands them to PcscAnswer.
Result<Bytes> Transmit(loyalty::fuzzing::ReaderAnswers& answers, const char* what,
                       bool& transport_failed) {
  auto answer = answers.Next();
  if (!answer || answer->size() < 2) {
    transport_failed = true;
    return Status(StatusCode::kBadRead, "PC/SC: transport failed");
  }
  return loyalty::readers::PcscAnswer(*answer, what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  loyalty::fuzzing::ReaderAnswers answers({data, size});
  bool transport_failed = false;
  auto uid = Transmit(answers, "reading the UID", transport_failed);
  if (uid.ok()) (void)loyalty::CardId::Parse(loyalty::readers::UpperHex(*uid));
  // As PcscReader::ReadNdefNumber: page 3 refused by a card that is not a
  // Type 2 tag means no NDEF.
  (void)loyalty::readers::ReadType2NdefNumber([&](std::uint8_t page) -> Result<Bytes> {
    auto answer = Transmit(answers, "reading the card", transport_failed);
    if (!answer.ok() && page == 3 && !transport_failed) return Bytes();
    return answer;
  });
  loyalty::fuzzing::FuzzSunAuthority authority;
  (void)loyalty::readers::VerifySunTap(
      [&](const Bytes&, const char* what) { return Transmit(answers, what, transport_failed); },
      "04A1B2C3D4E5F6", authority);
  return 0;
}
