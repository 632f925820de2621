#include "pcsc/pcsc_reader.hpp"

#include <algorithm>
#include <array>

#include "common/reader_clock.hpp"
#include "common/upper_hex.hpp"
#include "nfc/sun_tap.hpp"
#include "nfc/type2_tag.hpp"
#include "pcsc/pcsc_answer.hpp"

namespace loyalty::readers {
namespace {

using SteadyClock = std::chrono::steady_clock;

// pcsc-lite cancels only a call already blocked; a Cancel() just before it
// would be lost, so waits are cut into slices that check the flag: a
// cancel is seen within one slice even then.
constexpr auto kWaitSlice = std::chrono::milliseconds(50);
// How often a card whose read was cut short is read again, quietly, while
// pcscd still shows it present.
constexpr auto kRetryPause = std::chrono::milliseconds(100);

std::string PcscError(LONG rv) { return pcsc_stringify_error(rv); }

bool MeansGone(LONG rv) {
  return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ||
         rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE ||
         rv == SCARD_E_NO_READERS_AVAILABLE || rv == SCARD_E_INVALID_HANDLE ||
         rv == SCARD_F_COMM_ERROR;  // pcscd died under us
}

// Disconnects on scope exit, leaving the card powered for the next reader.
struct CardHandle {
  SCARDHANDLE handle = 0;
  DWORD protocol = 0;
  bool connected = false;
  ~CardHandle() {
    if (connected) SCardDisconnect(handle, SCARD_LEAVE_CARD);
  }
};

}  // namespace

PcscReader::PcscReader(std::string description, std::string reader_name, PcscSettings settings,
                       ReaderOptions options)
    : description_(std::move(description)),
      wanted_name_(std::move(reader_name)),
      settings_(settings),
      options_(std::move(options)) {}

Status PcscReader::Gone(const std::string& why) {
  Close();
  Status gone(StatusCode::kDeviceGone, description_ + ": " + why + "; call Start() to reopen");
  if (options_.log) options_.log(LogLevel::kWarning, gone.message());
  return gone;
}

Status PcscReader::Start() {
  Close();
  SCARDCONTEXT context = 0;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
  if (rv != SCARD_S_SUCCESS) {
    return Status(StatusCode::kDeviceGone,
                  description_ + ": pcscd is not reachable (" + PcscError(rv) +
                      "); is the pcscd service running?");
  }
  {
    std::lock_guard lock(mutex_);
    context_ = context;
  }
  DWORD size = 0;
  rv = SCardListReaders(context, nullptr, nullptr, &size);
  std::string names;
  if (rv == SCARD_S_SUCCESS && size > 0) {
    names.resize(size);
    rv = SCardListReaders(context, nullptr, names.data(), &size);
  }
  if (rv == SCARD_S_SUCCESS) {
    // A multi-string: names separated by NUL, ended by an empty one.
    for (std::size_t at = 0; at < names.size() && names[at] != '\0';) {
      std::string name(names.c_str() + at);
      at += name.size() + 1;
      if (wanted_name_.empty() || name.find(wanted_name_) != std::string::npos) {
        reader_name_ = name;
        break;
      }
    }
  }
  if (reader_name_.empty()) {
    Close();
    return Status(StatusCode::kDeviceGone,
                  description_ + ": no PC/SC reader" +
                      (wanted_name_.empty() ? "" : " named like '" + wanted_name_ + "'") +
                      " (plugged in? `pcsc_scan` lists them)");
  }
  reported_event_count_.reset();
  if (options_.log) options_.log(LogLevel::kInfo, description_ + ": opened " + reader_name_);
  return Status::Ok();
}

void PcscReader::Close() {
  std::lock_guard lock(mutex_);
  if (context_) SCardReleaseContext(*context_);
  context_.reset();
  reader_name_.clear();
  reported_event_count_.reset();
  failed_event_count_.reset();
  retry_at_.reset();
}

void PcscReader::Cancel() {
  std::lock_guard lock(mutex_);
  cancel_pending_ = true;  // kept for the next wait when none is in progress
  if (waiting_ && context_) SCardCancel(*context_);
}

bool PcscReader::CancelPending() {
  std::lock_guard lock(mutex_);
  return cancel_pending_;
}

Status PcscReader::Cancelled() {
  std::lock_guard lock(mutex_);
  cancel_pending_ = false;
  return Status(StatusCode::kCancelled, description_ + ": wait cancelled");
}

Result<std::vector<std::uint8_t>> PcscReader::Transmit(SCARDHANDLE card, DWORD protocol,
                                                       std::span<const std::uint8_t> apdu,
                                                       const char* what) {
  std::array<std::uint8_t, 258> response{};
  DWORD length = response.size();
  LONG rv = SCardTransmit(card, protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1, apdu.data(), static_cast<DWORD>(apdu.size()),
                          nullptr, response.data(), &length);
  if (rv != SCARD_S_SUCCESS || length < 2) {
    transport_failed_ = true;
    return Status(StatusCode::kBadRead, std::string("PC/SC: ") + what + " failed (" +
                                            PcscError(rv) + "); hold the card still and tap again");
  }
  return PcscAnswer(std::span(response).first(std::min<std::size_t>(length, response.size())), what);
}

Result<std::optional<std::string>> PcscReader::ReadNdefNumber(SCARDHANDLE card, DWORD protocol) {
  return ReadType2NdefNumber([&](std::uint8_t page) -> Result<std::vector<std::uint8_t>> {
    const std::array<std::uint8_t, 5> apdu = {0xFF, 0xB0, 0x00, page, 0x10};
    auto answer = Transmit(card, protocol, apdu, "reading the card");
    // A card that is not a Type 2 tag refuses the page read: no NDEF there.
    // A card pulled away is a bad read, not a card without NDEF.
    if (!answer.ok() && page == 3 && !transport_failed_) return std::vector<std::uint8_t>();
    return answer;
  });
}

CardRead PcscReader::ReadCard() {
  CardRead read;
  read.source = CardSource::kNfcUid;
  transport_failed_ = false;
  CardHandle card;
  LONG rv = SCardConnect(*context_, reader_name_.c_str(), SCARD_SHARE_SHARED,
                         SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card.handle, &card.protocol);
  std::string number;
  if (rv != SCARD_S_SUCCESS) {
    transport_failed_ = true;
    read.status = Status(StatusCode::kBadRead, "PC/SC: connecting to the card failed (" +
                                                   PcscError(rv) + "); tap again");
  } else {
    card.connected = true;
    static constexpr std::uint8_t kGetUid[] = {0xFF, 0xCA, 0x00, 0x00, 0x00};
    auto uid = Transmit(card.handle, card.protocol, kGetUid, "reading the UID");
    if (!uid.ok()) {
      read.status = uid.status();
    } else {
      number = UpperHex(*uid);
      if (settings_.require_sun) {
        // The reader passes ISO 7816 APDUs to an ISO-DEP card as they are.
        read.source = CardSource::kNfcSun;
        auto verified =
            uid->size() != 7
                ? Result<std::string>(Status(StatusCode::kBadRead,
                                             "NFC secure message: not an NTAG 424 DNA card (this "
                                             "till takes secure cards only)"))
                : VerifySunTap(
                      [&](const std::vector<std::uint8_t>& command, const char* what) {
                        return Transmit(card.handle, card.protocol, command, what);
                      },
                      number, *options_.sun);
        if (verified.ok()) {
          number = *verified;
        } else {
          read.status = verified.status();
        }
      } else if (settings_.read_ndef) {
        auto ndef = ReadNdefNumber(card.handle, card.protocol);
        if (!ndef.ok()) {
          read.source = CardSource::kNfcNdef;
          read.status = ndef.status();
        } else if (ndef->has_value()) {
          read.source = CardSource::kNfcNdef;
          number = **ndef;
        }
      }
    }
  }
  read.at = ReadTime(options_.clock);
  if (read.status.ok()) {
    auto id = CardId::Parse(number);
    if (id.ok()) {
      read.card = std::move(id).value();
    } else {
      read.status = Status(StatusCode::kBadRead, "PC/SC: the card does not hold a card number");
    }
  }
  return read;
}

Result<CardRead> PcscReader::WaitForCard(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mutex_);
    // A cancel made while nothing waited ends this wait, also on a reader
    // that is gone.
    if (cancel_pending_) {
      cancel_pending_ = false;
      return Status(StatusCode::kCancelled, description_ + ": wait cancelled");
    }
    if (!context_) return Status(StatusCode::kDeviceGone, description_ + ": not open; call Start()");
    waiting_ = true;
  }
  struct EndWait {
    PcscReader& reader;
    ~EndWait() {
      std::lock_guard lock(reader.mutex_);
      reader.waiting_ = false;
    }
  } end_wait{*this};

  const auto deadline = SteadyClock::now() + timeout;
  SCARD_READERSTATE state{};
  state.szReader = reader_name_.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  for (;;) {
    if (CancelPending()) return Cancelled();
    const auto now = SteadyClock::now();
    if (state.dwCurrentState != SCARD_STATE_UNAWARE && now >= deadline) {
      return Status(StatusCode::kTimeout,
                    description_ + ": no card within " + std::to_string(timeout.count()) + " ms");
    }
    auto until = std::min(now + kWaitSlice, deadline);
    if (retry_at_) until = std::min(until, *retry_at_);
    const auto slice = std::chrono::ceil<std::chrono::milliseconds>(until - now);
    LONG rv = SCardGetStatusChange(*context_, static_cast<DWORD>(std::max<long long>(slice.count(), 0)),
                                   &state, 1);
    if (rv == SCARD_E_CANCELLED) continue;  // the flag says whether it was ours
    if (rv == SCARD_E_TIMEOUT) {
      if (!retry_at_ || SteadyClock::now() < *retry_at_) continue;
      // Time to read again the card whose read was cut short (below).
    } else {
      if (MeansGone(rv)) return Gone("the reader or pcscd went away (" + PcscError(rv) + ")");
      if (rv != SCARD_S_SUCCESS) {
        return Status(StatusCode::kIoError, description_ + ": waiting for a card failed: " +
                                                PcscError(rv));
      }
      const DWORD event = state.dwEventState;
      if (event & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) {
        return Gone("the reader " + reader_name_ + " was unplugged");
      }
      state.dwCurrentState = event & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    }
    const DWORD event = state.dwCurrentState;
    if (!(event & SCARD_STATE_PRESENT) || (event & SCARD_STATE_MUTE)) {
      if (event & SCARD_STATE_EMPTY) {  // the next card is a new presentation
        reported_event_count_.reset();
        failed_event_count_.reset();
        retry_at_.reset();
      }
      continue;
    }
    // pcsc-lite counts insertions and removals in the high 16 bits: one
    // count is one presentation of a card.
    const DWORD count = event >> 16;
    if (reported_event_count_ && *reported_event_count_ == count) continue;  // still held
    const bool failure_reported = failed_event_count_ && *failed_event_count_ == count;
    if (failure_reported && retry_at_ && SteadyClock::now() < *retry_at_) continue;
    CardRead read = ReadCard();
    // A read the cancel cut short is no bad read: the card is read again.
    if (!read.status.ok() && CancelPending()) return Cancelled();
    if (read.status.ok() || !transport_failed_) {
      // Reported once, good or refused (a card answering 6A81 to the UID
      // command), until it leaves: never read again in a loop.
      reported_event_count_ = count;
      failed_event_count_.reset();
      retry_at_.reset();
    } else {
      // Cut short (the card moving away, or already gone while pcscd still
      // shows it): read again, quietly, while pcscd shows it present.
      failed_event_count_ = count;
      retry_at_ = SteadyClock::now() + kRetryPause;
      if (failure_reported) continue;
    }
    if (options_.log) {
      options_.log(read.status.ok() ? LogLevel::kInfo : LogLevel::kWarning,
                   read.status.ok() ? description_ + ": card " + read.card.Masked()
                                    : description_ + ": bad read: " + read.status.message());
    }
    return read;
  }
}

}  // namespace loyalty::readers
