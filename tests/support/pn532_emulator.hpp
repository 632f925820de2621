// A PN532 on a pseudo-terminal, speaking the frame protocol libnfc's
// pn532_uart driver expects (readers-notes section 2), with cards the test
// taps and removes and faults it injects. Tests open it with the real
// libnfc: connection string "pn532_uart:" + path(), LIBNFC_AUTO_SCAN=false.
//
// What it answers: Diagnose (echo), GetFirmwareVersion (PN532 v1.6),
// SAMConfiguration, SetParameters, Read/WriteRegister (a register file),
// RFConfiguration (field, MaxRetries), InListPassiveTarget and InAutoPoll
// for ISO 14443-A 106 kbps ("nothing there" for other modulations),
// InDataExchange READ / GET_VERSION against the card's memory, InDeselect,
// InRelease, PowerDown, and an ACK from the host as an abort. One target
// at a time; no RF timing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace loyalty::testing {

struct EmulatedCard {
  std::vector<std::uint8_t> uid;  // 4 or 7 bytes
  std::uint8_t atqa[2] = {0x00, 0x44};
  std::uint8_t sak = 0x00;
  std::vector<std::uint8_t> memory;  // Type 2 pages, 4 bytes each
  // ISO-DEP cards (SAK bit 0x20): the ATS (its first byte is its length)
  // and what the card answers to an APDU, SW included. The PN532 handles
  // the ISO-DEP blocks, so InDataExchange carries bare APDUs.
  std::vector<std::uint8_t> ats;
  std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> apdu;

  // An NTAG213 (45 pages) whose data area holds `ndef_message` in an NDEF
  // TLV; an empty message leaves the tag blank (CC present, TLV 03 00).
  static EmulatedCard Ntag213(std::vector<std::uint8_t> uid,
                              const std::vector<std::uint8_t>& ndef_message);
  // An NTAG213 carrying one NDEF Text record (language "en").
  static EmulatedCard Ntag213WithText(std::vector<std::uint8_t> uid, const std::string& text);
  // A 4-byte-UID MIFARE Classic 1K (ATQA 00 04, SAK 08): UID only.
  static EmulatedCard MifareClassic(std::vector<std::uint8_t> uid);
  // An ISO-DEP card like NTAG 424 DNA (ATQA 03 44, SAK 20) answering APDUs.
  static EmulatedCard IsoDep(
      std::vector<std::uint8_t> uid,
      std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> apdu);
};

enum class Pn532Fault {
  kSilent,       // no ACK and no answer: a dead chip
  kErrorFrame,   // ACK, then the application error frame 00 00 FF 01 FF 7F 81 00
  kBadChecksum,  // ACK, then the answer with a wrong data checksum
  kNoAnswer,     // ACK, then nothing
};

class Pn532Emulator {
 public:
  static constexpr int kAnyCommand = -1;

  // Opens the pty and starts answering. With `link`, a symlink at that path
  // points at the pty (as /dev/serial/by-id does) and follows Replug().
  explicit Pn532Emulator(std::string link = "");
  ~Pn532Emulator();
  Pn532Emulator(const Pn532Emulator&) = delete;
  Pn532Emulator& operator=(const Pn532Emulator&) = delete;

  bool ok() const { return !path_.empty(); }
  std::string path() const;  // the slave side, e.g. /dev/pts/3
  std::string connstring() const {
    return "pn532_uart:" + (link_.empty() ? path() : link_);
  }

  // A card enters the field (replacing any other) / leaves it. A pending
  // InListPassiveTarget or InAutoPoll answers at once when a card comes.
  void Tap(EmulatedCard card);
  void Remove();

  // The next `times` commands with code `command` (kAnyCommand: any) get
  // `fault`; times < 0: every one from now on.
  void InjectFault(Pn532Fault fault, int command = kAnyCommand, int times = 1);
  void ClearFaults();

  // The port disappears (the pty is closed) / a new one appears (a new pty;
  // the link, if any, points at it).
  void Unplug();
  void Replug();

  // How many frames with this command code the host sent.
  int CommandCount(std::uint8_t command) const;
  // When the emulator last answered with a card's data (a target found, or
  // a READ): what the host then has to turn into a CardRead.
  std::chrono::steady_clock::time_point last_card_answer() const;

 private:
  struct Pending {
    std::uint8_t command = 0;
    std::optional<std::chrono::steady_clock::time_point> deadline;  // InAutoPoll
  };
  struct Fault {
    Pn532Fault fault;
    int command;
    int times;
  };

  bool OpenPty();
  void ClosePty();
  void Run();
  void Wake();
  void ParseFrames();
  void Handle(std::uint8_t command, const std::vector<std::uint8_t>& params);
  std::optional<Pn532Fault> TakeFault(std::uint8_t command);
  void Reply(std::uint8_t command, const std::vector<std::uint8_t>& data, bool bad_checksum = false);
  void WriteRaw(const std::vector<std::uint8_t>& bytes);
  bool AnswerPending();  // with the lock held
  std::vector<std::uint8_t> TargetData() const;

  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::thread thread_;
  int wake_[2] = {-1, -1};
  bool stop_ = false;

  int master_ = -1;
  int slave_ = -1;  // held open so the pty lives between host sessions
  std::string path_;
  const std::string link_;
  bool unplug_requested_ = false;
  bool replug_requested_ = false;

  std::vector<std::uint8_t> rx_;
  std::map<std::uint16_t, std::uint8_t> registers_;
  bool field_on_ = false;
  std::uint8_t passive_retries_ = 0xFF;
  std::optional<Pending> pending_;
  std::optional<EmulatedCard> card_;
  bool selected_ = false;
  std::vector<Fault> faults_;
  std::map<std::uint8_t, int> counts_;
  std::chrono::steady_clock::time_point last_card_answer_{};
};

}  // namespace loyalty::testing
