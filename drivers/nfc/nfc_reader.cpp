#include "nfc/nfc_reader.hpp"

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <vector>

#include "common/reader_clock.hpp"
#include "common/upper_hex.hpp"
#include "nfc/sun_message.hpp"
#include "nfc/type2_tag.hpp"
#include "nfc/sun_tap.hpp"
#include "nfc/type4_tag.hpp"

namespace loyalty::readers {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr nfc_modulation kIso14443a{NMT_ISO14443A, NBR_106};
constexpr std::uint8_t kType2Read = 0x30;  // READ: 4 pages from the one given
// Failed commands a wait tolerates (each followed by a successful
// re-initialisation) before it reports kIoError.
constexpr int kMaxRecoveries = 3;

bool IsIsoDep(const nfc_target& target) { return (target.nti.nai.btSak & 0x20) != 0; }

bool IsType2(const nfc_target& target) {
  // NTAG21x / Ultralight answer ATQA 00 44, SAK 00.
  return target.nti.nai.abtAtqa[0] == 0x00 && target.nti.nai.abtAtqa[1] == 0x44 &&
         target.nti.nai.btSak == 0x00;
}

}  // namespace

NfcReader::NfcReader(std::string description, std::string libnfc_connstring,
                     NfcSettings settings, ReaderOptions options)
    : description_(std::move(description)),
      connstring_(std::move(libnfc_connstring)),
      settings_(settings),
      options_(std::move(options)) {}

void NfcReader::Log(LogLevel level, const std::string& message) const {
  if (options_.log) options_.log(level, message);
}

std::string NfcReader::Error(int code) const {
  std::string text = device_ ? nfc_strerror(device_.get()) : "";
  return text.empty() ? "libnfc error " + std::to_string(code) : text;
}

template <typename F>
int NfcReader::Blocking(F&& call) {
  if (!waiting_) return call();  // Start(): a cancel is for waits only
  in_libnfc_.store(true);
  // Both flags are sequentially consistent: either this sees a Cancel()
  // made before the call, or that Cancel() sees the call and aborts it.
  if (cancel_.pending()) {
    in_libnfc_.store(false);
    return NFC_EOPABORTED;
  }
  int result = call();
  in_libnfc_.store(false);
  return result;
}

Status NfcReader::Cancelled() {
  cancel_.Take();
  return Status(StatusCode::kCancelled, description_ + ": wait cancelled");
}

Status NfcReader::Configure() {
  if (Blocking([&] { return nfc_initiator_init(device_.get()); }) < 0 ||
      // One-shot selects: the chip answers "no card" at once instead of
      // searching until the host gives up on it.
      Blocking([&] {
        return nfc_device_set_property_bool(device_.get(), NP_INFINITE_SELECT, false);
      }) < 0) {
    return Status(StatusCode::kIoError,
                  description_ + ": cannot set the reader up as initiator: " + Error(-1));
  }
  return Status::Ok();
}

Status NfcReader::Start() {
  Close();
  if (Status s = cancel_.Init(); !s.ok()) return s;
  nfc_context* context = nullptr;
  nfc_init(&context);
  if (context == nullptr) {
    return Status(StatusCode::kIoError,
                  description_ + ": libnfc failed to start (nfc_init; check /etc/nfc/libnfc.conf)");
  }
  NfcContextPtr owned_context(context);
  nfc_device* device =
      nfc_open(context, connstring_.empty() ? nullptr : connstring_.c_str());
  if (device == nullptr) {
    return Status(StatusCode::kDeviceGone,
                  connstring_.empty()
                      ? description_ + ": no NFC reader found (plugged in? for a serial reader "
                                       "give its connection string, e.g. pn532_uart:/dev/ttyUSB0)"
                      : description_ + ": the reader did not answer at " + connstring_ +
                            " (plugged in? right port? in use by another program?)");
  }
  {
    std::lock_guard lock(device_mutex_);
    context_ = std::move(owned_context);
    device_.reset(device);
  }
  if (Status s = Configure(); !s.ok()) {
    Close();
    return s;
  }
  held_uid_.reset();
  failed_uid_.reset();
  Log(LogLevel::kInfo, description_ + ": opened " + nfc_device_get_name(device));
  return Status::Ok();
}

void NfcReader::Close() {
  std::lock_guard lock(device_mutex_);
  device_.reset();  // InRelease, field off, power down, port closed
  context_.reset();
  held_uid_.reset();
  failed_uid_.reset();
}

void NfcReader::Cancel() {
  cancel_.Cancel();
  std::lock_guard lock(device_mutex_);
  // Only while a command is in flight: libnfc's abort replaces the pipe its
  // select() watches, and an abort with nobody selecting would be lost.
  if (device_ && in_libnfc_.load()) nfc_abort_command(device_.get());
}

bool NfcReader::Pause(std::chrono::milliseconds duration) {
  const auto until = SteadyClock::now() + duration;
  for (;;) {
    if (cancel_.pending()) return false;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - SteadyClock::now());
    if (left.count() <= 0) return true;
    pollfd fd{cancel_.fd(), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left.count())) > 0) cancel_.Drain();
  }
}

Status NfcReader::Recover(int error, const char* during) {
  const std::string what = description_ + ": " + during + " failed: " + Error(error);
  Log(LogLevel::kWarning, what + "; re-initialising the reader");
  held_uid_.reset();
  failed_uid_.reset();
  if (Configure().ok()) return Status::Ok();
  // Cut short by a cancel: the reader stays open, and the next wait
  // re-initialises it if it needs that.
  if (cancel_.pending()) return Cancelled();
  Close();
  Status gone(StatusCode::kDeviceGone, what + "; the reader stopped answering (unplugged?); "
                                              "call Start() to reopen");
  Log(LogLevel::kError, gone.message());
  return gone;
}

Result<std::optional<std::string>> NfcReader::ReadNdefNumber() {
  return ReadType2NdefNumber([&](std::uint8_t page) -> Result<std::vector<std::uint8_t>> {
    std::array<std::uint8_t, 16> block{};
    const std::uint8_t command[2] = {kType2Read, page};
    const int r = Blocking([&] {
      return nfc_initiator_transceive_bytes(device_.get(), command, sizeof command, block.data(),
                                            block.size(), -1);
    });
    if (r != static_cast<int>(block.size())) {
      transport_failed_ = true;
      return Status(StatusCode::kBadRead, "NFC: reading the card failed (" + Error(r) +
                                              "); hold the card still and tap again");
    }
    return std::vector<std::uint8_t>(block.begin(), block.end());
  });
}

Result<std::vector<std::uint8_t>> NfcReader::Apdu(const std::vector<std::uint8_t>& command,
                                                  const char* what) {
  std::array<std::uint8_t, 256> response{};
  int r = Blocking([&] {
    return nfc_initiator_transceive_bytes(device_.get(), command.data(), command.size(),
                                          response.data(), response.size(), 1000);
  });
  if (r < 0) {
    transport_failed_ = true;
    return Status(StatusCode::kBadRead, std::string("NFC: ") + what + " failed (" + Error(r) +
                                            "); hold the card still and tap again");
  }
  return ApduAnswerData(std::span(response).first(std::min<std::size_t>(r, response.size())),
                        what);
}

Result<std::string> NfcReader::VerifySun(const nfc_target& target, const std::string& uid) {
  if (!IsIsoDep(target) || target.nti.nai.szUidLen != 7) {
    return Status(StatusCode::kBadRead,
                  "NFC secure message: not an NTAG 424 DNA card (this till takes secure cards "
                  "only)");
  }
  return VerifySunTap(
      [this](const std::vector<std::uint8_t>& command, const char* what) {
        return Apdu(command, what);
      },
      uid, *options_.sun);
}

CardRead NfcReader::ReadCard(const nfc_target& target) {
  CardRead read;
  read.source = CardSource::kNfcUid;
  transport_failed_ = false;
  const std::string uid = UpperHex(std::span<const std::uint8_t>(target.nti.nai.abtUid, target.nti.nai.szUidLen));
  std::string number = uid;
  if (settings_.require_sun) {
    read.source = CardSource::kNfcSun;
    auto verified = VerifySun(target, uid);
    if (verified.ok()) {
      number = *verified;
    } else {
      read.status = verified.status();
    }
  } else if (settings_.read_ndef && IsType2(target)) {
    auto ndef = ReadNdefNumber();
    if (!ndef.ok()) {
      read.source = CardSource::kNfcNdef;
      read.status = ndef.status();
    } else if (ndef->has_value()) {
      read.source = CardSource::kNfcNdef;
      number = **ndef;
    }
  }
  read.at = ReadTime(options_.clock);
  if (read.status.ok()) {
    auto card = CardId::Parse(number);
    if (card.ok()) {
      read.card = std::move(card).value();
    } else {
      read.status = Status(StatusCode::kBadRead,
                           read.source == CardSource::kNfcNdef
                               ? "NDEF: the record does not hold a card number (" +
                                     std::to_string(number.size()) + " characters)"
                               : "NFC: the UID is not a card id");
    }
  }
  return read;
}

Result<CardRead> NfcReader::WaitForCard(std::chrono::milliseconds timeout) {
  // A cancel made while nothing waited ends this wait, also on a reader
  // that is gone: a till must stop when told, whatever the reader does.
  if (cancel_.pending()) return Cancelled();
  if (!device_) return Status(StatusCode::kDeviceGone, description_ + ": not open; call Start()");
  waiting_ = true;
  struct EndWait {
    bool& waiting;
    ~EndWait() { waiting = false; }
  } end_wait{waiting_};
  const auto deadline = SteadyClock::now() + timeout;
  int recoveries = 0;
  auto failed = [&](int error, const char* during) -> Status {
    // A command that failed while a cancel was pending was most likely
    // aborted by it.
    if (cancel_.pending()) return Cancelled();
    if (Status s = Recover(error, during); !s.ok()) return s;
    if (++recoveries > kMaxRecoveries) {
      return Status(StatusCode::kIoError,
                    description_ + ": " + during + " keeps failing: " + Error(error));
    }
    return Status::Ok();
  };
  auto pause_or_timeout = [&]() -> Status {
    const auto now = SteadyClock::now();
    if (now >= deadline) {
      return Status(StatusCode::kTimeout,
                    description_ + ": no card within " + std::to_string(timeout.count()) + " ms");
    }
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    if (!Pause(std::min(settings_.poll_interval, left))) return Cancelled();
    return Status::Ok();
  };

  for (;;) {
    if (cancel_.pending()) return Cancelled();
    if (held_uid_) {
      int r = Blocking([&] { return nfc_initiator_target_is_present(device_.get(), nullptr); });
      if (r == NFC_EOPABORTED || cancel_.pending()) return Cancelled();
      if (r == NFC_SUCCESS) {
        if (Status s = pause_or_timeout(); !s.ok()) return s;
        continue;
      }
      if (r == NFC_ETGRELEASED || r == NFC_ERFTRANS) {
        held_uid_.reset();
      } else if (r != NFC_EINVARG && r != NFC_EDEVNOTSUPP) {
        // EINVARG: no selected target to ask (after a re-init);
        // EDEVNOTSUPP: no presence check for this card type. Both fall
        // back to comparing the UID the next select finds.
        if (Status s = failed(r, "presence check"); !s.ok()) return s;
        continue;
      }
    }
    nfc_target target{};
    int found = Blocking([&] {
      return nfc_initiator_select_passive_target(device_.get(), kIso14443a, nullptr, 0, &target);
    });
    if (found == NFC_EOPABORTED || cancel_.pending()) return Cancelled();
    if (found < 0) {
      if (Status s = failed(found, "polling for a card"); !s.ok()) return s;
      continue;
    }
    if (found == 0) {  // the field is empty: the next card is a new presentation
      held_uid_.reset();
      failed_uid_.reset();
      if (Status s = pause_or_timeout(); !s.ok()) return s;
      continue;
    }
    const std::string uid = UpperHex(std::span<const std::uint8_t>(target.nti.nai.abtUid, target.nti.nai.szUidLen));
    if (held_uid_ && *held_uid_ == uid) {
      // Still the card reported before (its presence could not be asked).
      if (Status s = pause_or_timeout(); !s.ok()) return s;
      continue;
    }
    const bool failure_reported = failed_uid_ && *failed_uid_ == uid;
    CardRead read = ReadCard(target);
    // A read the cancel cut short is no bad read: the card is read again.
    if (!read.status.ok() && cancel_.pending()) return Cancelled();
    if (read.status.ok() || !transport_failed_) {
      // Reported once, good or refused, until it leaves the field.
      held_uid_ = uid;
      failed_uid_.reset();
    } else {
      // Cut short (card moving, bad checksum): read again while it stays.
      held_uid_.reset();
      failed_uid_ = uid;
      // This presentation was already told "tap again": the retries that
      // fail the same way stay quiet, or a card that keeps failing would
      // fill the till's screen and log.
      if (failure_reported) {
        if (Status s = pause_or_timeout(); !s.ok()) return s;
        continue;
      }
    }
    if (read.status.ok()) {
      Log(LogLevel::kInfo, description_ + ": card " + read.card.Masked() + " (" +
                               CardSourceName(read.source) + ")");
    } else {
      Log(LogLevel::kWarning, description_ + ": bad read: " + read.status.message());
    }
    return read;
  }
}

}  // namespace loyalty::readers
