#include "vpcd_card.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace loyalty::testing {
namespace {

// PC/SC part 3 ATR of a contactless storage card (MIFARE Ultralight).
const std::vector<std::uint8_t> kAtr = {0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C,
                                        0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00,
                                        0x03, 0x00, 0x00, 0x00, 0x00, 0x68};

bool ReadAll(int fd, std::uint8_t* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool Send(int fd, const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> frame = {static_cast<std::uint8_t>(payload.size() >> 8),
                                     static_cast<std::uint8_t>(payload.size() & 0xFF)};
  for (std::uint8_t b : payload) frame.push_back(b);
  return ::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(frame.size());
}

}  // namespace

VpcdCard::VpcdCard(std::uint16_t port, std::vector<std::uint8_t> uid,
                   std::vector<std::uint8_t> memory, IsoDep iso_dep, int leave_at_apdu)
    : uid_(std::move(uid)),
      memory_(std::move(memory)),
      iso_dep_(std::move(iso_dep)),
      leave_at_apdu_(leave_at_apdu) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return;
  }
  fd_ = fd;
  thread_ = std::thread([this] { Serve(); });
}

VpcdCard::~VpcdCard() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::vector<std::uint8_t> VpcdCard::Answer(const std::vector<std::uint8_t>& apdu) {
  ++apdus_;
  if (apdu.size() >= 5 && apdu[0] == 0xFF && apdu[1] == 0xCA && apdu[2] == 0x00 &&
      !uid_.empty()) {
    std::vector<std::uint8_t> answer = uid_;
    answer.push_back(0x90);
    answer.push_back(0x00);
    return answer;
  }
  if (apdu.size() >= 5 && apdu[0] == 0xFF && apdu[1] == 0xB0 && !memory_.empty()) {
    std::vector<std::uint8_t> answer;
    const std::size_t start = static_cast<std::size_t>(apdu[3]) * 4;
    const std::size_t length = apdu[4] == 0 ? 16 : apdu[4];
    for (std::size_t i = 0; i < length; ++i) {
      answer.push_back(memory_[(start + i) % memory_.size()]);
    }
    answer.push_back(0x90);
    answer.push_back(0x00);
    return answer;
  }
  if (apdu.size() >= 2 && apdu[0] == 0xFF) return {0x6A, 0x81};  // function not supported
  if (iso_dep_) return iso_dep_(apdu);                           // passed to the card as is
  return {0x6D, 0x00};                                          // instruction not supported
}

void VpcdCard::Serve() {
  for (;;) {
    std::uint8_t header[2];
    if (!ReadAll(fd_, header, 2)) return;
    const std::size_t size = static_cast<std::size_t>(header[0]) << 8 | header[1];
    std::vector<std::uint8_t> message(size);
    if (size > 0 && !ReadAll(fd_, message.data(), size)) return;
    if (size == 1) {
      if (message[0] == 4 && !Send(fd_, kAtr)) return;  // others need no answer
      continue;
    }
    if (leave_at_apdu_ > 0 && apdus_.load() + 1 >= leave_at_apdu_) {
      ++apdus_;
      ::shutdown(fd_, SHUT_RDWR);  // gone before answering
      return;
    }
    if (!Send(fd_, Answer(message))) return;
  }
}

}  // namespace loyalty::testing
