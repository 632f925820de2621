#include "pn532_emulator.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace loyalty::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::uint8_t kHostToChip = 0xD4;
constexpr std::uint8_t kChipToHost = 0xD5;

// PN532 command codes (user manual UM0701-02, section 7).
constexpr std::uint8_t kDiagnose = 0x00;
constexpr std::uint8_t kGetFirmwareVersion = 0x02;
constexpr std::uint8_t kReadRegister = 0x06;
constexpr std::uint8_t kWriteRegister = 0x08;
constexpr std::uint8_t kSetParameters = 0x12;
constexpr std::uint8_t kSamConfiguration = 0x14;
constexpr std::uint8_t kPowerDown = 0x16;
constexpr std::uint8_t kRfConfiguration = 0x32;
constexpr std::uint8_t kInDataExchange = 0x40;
constexpr std::uint8_t kInCommunicateThru = 0x42;
constexpr std::uint8_t kInDeselect = 0x44;
constexpr std::uint8_t kInListPassiveTarget = 0x4A;
constexpr std::uint8_t kInRelease = 0x52;
constexpr std::uint8_t kInAutoPoll = 0x60;

constexpr std::uint8_t kStatusOk = 0x00;
constexpr std::uint8_t kStatusTimeout = 0x01;  // the target did not answer

const std::vector<std::uint8_t> kAck = {0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00};
const std::vector<std::uint8_t> kErrorFrame = {0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};

}  // namespace

EmulatedCard EmulatedCard::Ntag213(std::vector<std::uint8_t> uid,
                                   const std::vector<std::uint8_t>& ndef_message) {
  EmulatedCard card;
  card.uid = uid;
  card.memory.assign(45 * 4, 0x00);
  // Pages 0-2: UID with its check bytes; the values only matter to a real
  // anticollision, which the emulator does not run.
  for (std::size_t i = 0; i < uid.size() && i < 9; ++i) card.memory[i + (i < 3 ? 0 : 1)] = uid[i];
  const std::uint8_t cc[4] = {0xE1, 0x10, 0x12, 0x00};  // 144-byte data area
  std::copy(cc, cc + 4, card.memory.begin() + 12);
  std::vector<std::uint8_t> tlv = {0x03, static_cast<std::uint8_t>(ndef_message.size())};
  tlv.insert(tlv.end(), ndef_message.begin(), ndef_message.end());
  tlv.push_back(0xFE);
  std::copy(tlv.begin(), tlv.end(), card.memory.begin() + 16);
  return card;
}

EmulatedCard EmulatedCard::Ntag213WithText(std::vector<std::uint8_t> uid, const std::string& text) {
  std::vector<std::uint8_t> record = {0xD1, 0x01, static_cast<std::uint8_t>(3 + text.size()),
                                      'T',  0x02, 'e', 'n'};
  // push_back, not insert: GCC 12 warns falsely (-Warray-bounds) on
  // inserting a range into a vector built from an initializer list.
  for (char c : text) record.push_back(static_cast<std::uint8_t>(c));
  return Ntag213(std::move(uid), record);
}

EmulatedCard EmulatedCard::MifareClassic(std::vector<std::uint8_t> uid) {
  EmulatedCard card;
  card.uid = std::move(uid);
  card.atqa[0] = 0x00;
  card.atqa[1] = 0x04;
  card.sak = 0x08;
  return card;
}

EmulatedCard EmulatedCard::IsoDep(
    std::vector<std::uint8_t> uid,
    std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> apdu) {
  EmulatedCard card;
  card.uid = std::move(uid);
  card.atqa[0] = 0x03;
  card.atqa[1] = 0x44;
  card.sak = 0x20;
  card.ats = {0x06, 0x77, 0x77, 0x71, 0x02, 0x80};
  card.apdu = std::move(apdu);
  return card;
}

Pn532Emulator::Pn532Emulator(std::string link) : link_(std::move(link)) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) return;
  if (!OpenPty()) return;
  thread_ = std::thread([this] { Run(); });
}

Pn532Emulator::~Pn532Emulator() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  Wake();
  if (thread_.joinable()) thread_.join();
  ClosePty();
  if (!link_.empty()) ::unlink(link_.c_str());
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

bool Pn532Emulator::OpenPty() {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (master < 0) return false;
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    ::close(master);
    return false;
  }
  char name[128];
  if (::ptsname_r(master, name, sizeof name) != 0) {
    ::close(master);
    return false;
  }
  int slave = ::open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (slave < 0) {
    ::close(master);
    return false;
  }
  // Raw from the start: no echo of the host's bytes back to it, no line
  // editing of binary frames. libnfc sets the same when it opens the port.
  termios tio{};
  ::tcgetattr(slave, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(slave, TCSANOW, &tio);
  master_ = master;
  slave_ = slave;
  path_ = name;
  if (!link_.empty()) {
    ::unlink(link_.c_str());
    if (::symlink(name, link_.c_str()) != 0) return false;
  }
  return true;
}

void Pn532Emulator::ClosePty() {
  if (master_ >= 0) ::close(master_);
  if (slave_ >= 0) ::close(slave_);
  master_ = slave_ = -1;
  rx_.clear();
  pending_.reset();
}

std::string Pn532Emulator::path() const {
  std::lock_guard lock(mutex_);
  return path_;
}

void Pn532Emulator::Wake() {
  const char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_[1], &byte, 1);
}

void Pn532Emulator::Tap(EmulatedCard card) {
  {
    std::lock_guard lock(mutex_);
    card_ = std::move(card);
    selected_ = false;  // a card entering the field starts unselected
  }
  Wake();
}

void Pn532Emulator::Remove() {
  std::lock_guard lock(mutex_);
  card_.reset();
  selected_ = false;
}

void Pn532Emulator::InjectFault(Pn532Fault fault, int command, int times) {
  std::lock_guard lock(mutex_);
  faults_.push_back({fault, command, times});
}

void Pn532Emulator::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

void Pn532Emulator::Unplug() {
  std::unique_lock lock(mutex_);
  unplug_requested_ = true;
  Wake();
  done_.wait(lock, [&] { return !unplug_requested_; });
}

void Pn532Emulator::Replug() {
  std::unique_lock lock(mutex_);
  replug_requested_ = true;
  Wake();
  done_.wait(lock, [&] { return !replug_requested_; });
}

int Pn532Emulator::CommandCount(std::uint8_t command) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(command);
  return it == counts_.end() ? 0 : it->second;
}

SteadyClock::time_point Pn532Emulator::last_card_answer() const {
  std::lock_guard lock(mutex_);
  return last_card_answer_;
}

std::optional<Pn532Fault> Pn532Emulator::TakeFault(std::uint8_t command) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->command != kAnyCommand && it->command != command) continue;
    Pn532Fault fault = it->fault;
    if (it->times > 0 && --it->times == 0) faults_.erase(it);
    return fault;
  }
  return std::nullopt;
}

void Pn532Emulator::WriteRaw(const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  while (done < bytes.size() && master_ >= 0) {
    ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        pollfd fd{master_, POLLOUT, 0};
        ::poll(&fd, 1, 100);
        continue;
      }
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

void Pn532Emulator::Reply(std::uint8_t command, const std::vector<std::uint8_t>& data,
                          bool bad_checksum) {
  std::vector<std::uint8_t> frame = {0x00, 0x00, 0xFF};
  const std::size_t length = data.size() + 2;  // TFI and the answer's code
  if (length > 0xFF) {
    frame.push_back(0xFF);
    frame.push_back(0xFF);
    frame.push_back(static_cast<std::uint8_t>(length >> 8));
    frame.push_back(static_cast<std::uint8_t>(length & 0xFF));
    frame.push_back(static_cast<std::uint8_t>(-(frame[5] + frame[6])));
  } else {
    frame.push_back(static_cast<std::uint8_t>(length));
    frame.push_back(static_cast<std::uint8_t>(0x100 - length));
  }
  std::uint8_t sum = kChipToHost + static_cast<std::uint8_t>(command + 1);
  frame.push_back(kChipToHost);
  frame.push_back(static_cast<std::uint8_t>(command + 1));
  for (std::uint8_t b : data) {
    frame.push_back(b);
    sum = static_cast<std::uint8_t>(sum + b);
  }
  std::uint8_t dcs = static_cast<std::uint8_t>(0x100 - sum);
  if (bad_checksum) dcs = static_cast<std::uint8_t>(dcs ^ 0x5A);
  frame.push_back(dcs);
  frame.push_back(0x00);
  WriteRaw(frame);
}

std::vector<std::uint8_t> Pn532Emulator::TargetData() const {
  // Tg, SENS_RES (ATQA), SEL_RES (SAK), NFCIDLength, NFCID1.
  std::vector<std::uint8_t> data = {0x01, card_->atqa[0], card_->atqa[1], card_->sak,
                                    static_cast<std::uint8_t>(card_->uid.size())};
  // push_back, not insert: GCC 12 at -O3 sees a false out-of-bounds memcpy
  // in the vector's growth path (-Warray-bounds).
  for (std::uint8_t b : card_->uid) data.push_back(b);
  if (card_->sak & 0x20) {
    for (std::uint8_t b : card_->ats) data.push_back(b);
  }
  return data;
}

bool Pn532Emulator::AnswerPending() {
  if (!pending_) return false;
  const bool card_there = card_.has_value() && field_on_;
  if (pending_->command == kInListPassiveTarget) {
    if (!card_there) return false;
    std::vector<std::uint8_t> answer = {0x01};
    auto target = TargetData();
    answer.insert(answer.end(), target.begin(), target.end());
    selected_ = true;
    last_card_answer_ = SteadyClock::now();
    Reply(kInListPassiveTarget, answer);
    pending_.reset();
    return true;
  }
  if (pending_->command == kInAutoPoll) {
    if (card_there) {
      auto target = TargetData();
      const std::uint8_t type = (card_->sak & 0x20) ? 0x20 : 0x10;
      std::vector<std::uint8_t> answer = {0x01, type, static_cast<std::uint8_t>(target.size())};
      answer.insert(answer.end(), target.begin(), target.end());
      selected_ = true;
      last_card_answer_ = SteadyClock::now();
      Reply(kInAutoPoll, answer);
      pending_.reset();
      return true;
    }
    if (pending_->deadline && SteadyClock::now() >= *pending_->deadline) {
      Reply(kInAutoPoll, {0x00});
      pending_.reset();
      return true;
    }
  }
  return false;
}

void Pn532Emulator::Handle(std::uint8_t command, const std::vector<std::uint8_t>& params) {
  ++counts_[command];
  pending_.reset();  // a new command supersedes one still searching
  auto fault = TakeFault(command);
  if (fault == Pn532Fault::kSilent) return;
  WriteRaw(kAck);
  if (fault == Pn532Fault::kNoAnswer) return;
  if (fault == Pn532Fault::kErrorFrame) {
    WriteRaw(kErrorFrame);
    return;
  }
  const bool bad_checksum = fault == Pn532Fault::kBadChecksum;
  auto reply = [&](const std::vector<std::uint8_t>& data) { Reply(command, data, bad_checksum); };

  switch (command) {
    case kDiagnose:
      reply(params);  // communication test: the data comes back
      return;
    case kGetFirmwareVersion:
      reply({0x32, 0x01, 0x06, 0x07});  // PN532 v1.6, ISO 14443-A/B and 18092
      return;
    case kSetParameters:
    case kSamConfiguration:
      reply({});
      return;
    case kPowerDown:
      reply({0x00});
      return;
    case kReadRegister: {
      std::vector<std::uint8_t> values;
      for (std::size_t i = 0; i + 1 < params.size(); i += 2) {
        values.push_back(registers_[static_cast<std::uint16_t>(params[i] << 8 | params[i + 1])]);
      }
      reply(values);
      return;
    }
    case kWriteRegister:
      for (std::size_t i = 0; i + 2 < params.size(); i += 3) {
        registers_[static_cast<std::uint16_t>(params[i] << 8 | params[i + 1])] = params[i + 2];
      }
      reply({});
      return;
    case kRfConfiguration:
      if (!params.empty() && params[0] == 0x01 && params.size() >= 2) {
        field_on_ = params[1] & 0x01;
        if (!field_on_) selected_ = false;
      }
      if (!params.empty() && params[0] == 0x05 && params.size() >= 4) passive_retries_ = params[3];
      reply({});
      return;
    case kInListPassiveTarget: {
      const std::uint8_t baud_type = params.size() >= 2 ? params[1] : 0xFF;
      if (baud_type != 0x00) {  // FeliCa, type B, Jewel…: nothing there
        reply({0x00});
        return;
      }
      if (params.size() > 2 && card_) {
        // Initiator data selects one UID (libnfc's MIFARE Classic presence
        // check): cascade tag 88 before a 7-byte UID's first three bytes.
        std::vector<std::uint8_t> wanted(params.begin() + 2, params.end());
        std::vector<std::uint8_t> uid = card_->uid;
        if (uid.size() == 7) uid.insert(uid.begin(), 0x88);
        if (wanted != uid) {
          reply({0x00});
          return;
        }
      }
      pending_ = Pending{command, std::nullopt};
      if (AnswerPending()) return;
      if (passive_retries_ != 0xFF) {  // one-shot: report "no target" now
        pending_.reset();
        reply({0x00});
      }
      return;  // else: searching until a card comes or the host aborts
    }
    case kInAutoPoll: {
      const std::uint8_t poll_count = params.size() >= 1 ? params[0] : 1;
      const std::uint8_t period = params.size() >= 2 ? params[1] : 1;
      bool type_a = false;
      for (std::size_t i = 2; i < params.size(); ++i) {
        type_a = type_a || params[i] == 0x10 || params[i] == 0x20 || params[i] == 0x00;
      }
      Pending pending{command, std::nullopt};
      if (poll_count != 0xFF || !type_a) {
        pending.deadline = SteadyClock::now() +
                           std::chrono::milliseconds(150) * (type_a ? poll_count * period : 0);
      }
      pending_ = pending;
      if (!type_a) {
        pending_.reset();
        reply({0x00});
        return;
      }
      AnswerPending();
      return;
    }
    case kInDataExchange: {
      const bool reachable = card_.has_value() && selected_ && field_on_;
      if (!reachable || params.size() < 2) {
        reply({kStatusTimeout});
        return;
      }
      if (card_->apdu) {
        std::vector<std::uint8_t> answer = {kStatusOk};
        for (std::uint8_t b : card_->apdu({params.begin() + 1, params.end()})) answer.push_back(b);
        last_card_answer_ = SteadyClock::now();
        reply(answer);
        return;
      }
      const std::uint8_t card_command = params[1];
      if (card_command == 0x30 && params.size() >= 3 && !card_->memory.empty()) {
        std::vector<std::uint8_t> answer = {kStatusOk};
        const std::size_t start = static_cast<std::size_t>(params[2]) * 4;
        for (std::size_t i = 0; i < 16; ++i) {
          // Reads past the end roll over to page 0, as on NTAG21x.
          answer.push_back(card_->memory[(start + i) % card_->memory.size()]);
        }
        last_card_answer_ = SteadyClock::now();
        reply(answer);
        return;
      }
      if (card_command == 0x60 && !card_->memory.empty()) {  // GET_VERSION: NTAG213
        reply({kStatusOk, 0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03});
        return;
      }
      reply({kStatusTimeout});
      return;
    }
    case kInCommunicateThru: {
      // An ISO-DEP card answers an R(NAK) block (libnfc's presence check)
      // with an R(ACK).
      const bool reachable = card_.has_value() && selected_ && field_on_ && (card_->sak & 0x20);
      if (reachable && !params.empty() && (params[0] & 0xF6) == 0xB2) {
        reply({kStatusOk, static_cast<std::uint8_t>(0xA2 | (params[0] & 0x01))});
      } else {
        reply({kStatusTimeout});
      }
      return;
    }
    case kInDeselect:
    case kInRelease:
      selected_ = false;
      reply({kStatusOk});
      return;
    default:
      WriteRaw(kErrorFrame);  // what the chip says to a command it lacks
      return;
  }
}

void Pn532Emulator::ParseFrames() {
  for (;;) {
    // Find the start code 00 FF (after a 00 preamble).
    std::size_t start = 0;
    bool found = false;
    for (; start + 2 < rx_.size(); ++start) {
      if (rx_[start] == 0x00 && rx_[start + 1] == 0x00 && rx_[start + 2] == 0xFF) {
        found = true;
        break;
      }
    }
    if (!found) {
      // Keep a possible partial start code; the wake-up 55 55 00… goes.
      if (rx_.size() > 2) rx_.erase(rx_.begin(), rx_.end() - 2);
      return;
    }
    rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(start));
    if (rx_.size() < 5) return;
    const std::uint8_t len = rx_[3];
    const std::uint8_t lcs = rx_[4];
    if (len == 0x00 && lcs == 0xFF) {  // ACK from the host: abort
      if (rx_.size() < 6) return;
      pending_.reset();
      rx_.erase(rx_.begin(), rx_.begin() + 6);
      continue;
    }
    std::size_t header = 5;
    std::size_t length = len;
    if (len == 0xFF && lcs == 0xFF) {  // extended frame
      if (rx_.size() < 8) return;
      length = static_cast<std::size_t>(rx_[5]) << 8 | rx_[6];
      if (static_cast<std::uint8_t>(rx_[5] + rx_[6] + rx_[7]) != 0) {
        rx_.erase(rx_.begin());
        continue;
      }
      header = 8;
    } else if (static_cast<std::uint8_t>(len + lcs) != 0) {
      rx_.erase(rx_.begin());  // not a frame after all
      continue;
    }
    if (rx_.size() < header + length + 2) return;
    std::vector<std::uint8_t> data(rx_.begin() + static_cast<std::ptrdiff_t>(header),
                                   rx_.begin() + static_cast<std::ptrdiff_t>(header + length));
    std::uint8_t sum = rx_[header + length];
    for (std::uint8_t b : data) sum = static_cast<std::uint8_t>(sum + b);
    rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(header + length + 2));
    if (sum != 0 || data.size() < 2 || data[0] != kHostToChip) continue;  // dropped
    Handle(data[1], std::vector<std::uint8_t>(data.begin() + 2, data.end()));
  }
}

void Pn532Emulator::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stop_) return;
    if (unplug_requested_) {
      ClosePty();
      unplug_requested_ = false;
      done_.notify_all();
    }
    if (replug_requested_) {
      ClosePty();
      OpenPty();
      replug_requested_ = false;
      done_.notify_all();
    }
    AnswerPending();
    int timeout = -1;
    if (pending_ && pending_->deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*pending_->deadline -
                                                               SteadyClock::now());
      timeout = static_cast<int>(std::max<long long>(left.count(), 0));
    }
    pollfd fds[2] = {{wake_[0], POLLIN, 0}, {master_, POLLIN, 0}};
    const nfds_t count = master_ >= 0 ? 2 : 1;
    lock.unlock();
    ::poll(fds, count, timeout);
    lock.lock();
    if (fds[0].revents & POLLIN) {
      char drain[64];
      while (::read(wake_[0], drain, sizeof drain) > 0) {
      }
    }
    if (count == 2 && master_ >= 0 && (fds[1].revents & POLLIN)) {
      std::uint8_t buffer[512];
      for (;;) {
        ssize_t n = ::read(master_, buffer, sizeof buffer);
        if (n <= 0) break;
        rx_.insert(rx_.end(), buffer, buffer + n);
      }
      ParseFrames();
    }
  }
}

}  // namespace loyalty::testing
