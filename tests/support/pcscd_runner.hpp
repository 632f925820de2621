// A real pcscd for the PC/SC reader's tests and measurements: started in
// the foreground with a reader.conf.d holding only vsmartcard's vpcd driver
// on a free port, so tests/support/vpcd_card.* can present cards to it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <winscard.h>

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>

namespace loyalty::testing {

inline constexpr char kVpcdDriver[] = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";

// A free TCP port for vpcd (it listens on it and the next one).
inline std::uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Waits until pcscd shows the vpcd reader without a card: the card taken
// away has been noticed, so the next one is a new presentation whatever the
// machine's speed. 60 s is a safety net, not an expected time.
inline bool WaitUntilFieldEmpty() {
  SCARDCONTEXT context;
  if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS) {
    return false;
  }
  SCARD_READERSTATE state{};
  state.szReader = "Virtual PCD 00 00";
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  bool empty = false;
  for (int i = 0; i < 600 && !empty; ++i) {
    LONG rv = SCardGetStatusChange(context, 100, &state, 1);
    if (rv == SCARD_S_SUCCESS) {
      state.dwCurrentState = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    }
    empty = (state.dwCurrentState & SCARD_STATE_EMPTY) != 0;
  }
  SCardReleaseContext(context);
  return empty;
}

inline bool ReaderListed(const char* name) {
  SCARDCONTEXT context;
  if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS) {
    return false;
  }
  char names[1024];
  DWORD size = sizeof names;
  bool found = SCardListReaders(context, nullptr, names, &size) == SCARD_S_SUCCESS &&
               std::string_view(names, size).find(name) != std::string_view::npos;
  SCardReleaseContext(context);
  return found;
}

// pcscd in the foreground with a reader.conf.d holding only vpcd. There is
// one /run/pcscd per machine: a Pcscd holds a machine-wide lock from its
// first Start to its end, so test runs of other checkouts on the same
// machine wait their turn instead of finding a foreign pcscd.
class Pcscd {
 public:
  // Empty when it runs; otherwise why it cannot.
  std::string Start(const std::string& conf_dir, std::uint16_t port) {
    if (!std::filesystem::exists(kVpcdDriver)) {
      return "vsmartcard-vpcd is not installed (scripts/packages.d/readers.txt)";
    }
    if (lock_ < 0) {
      lock_ = ::open("/tmp/loyalty-tests-pcscd.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (lock_ < 0 || ::flock(lock_, LOCK_EX) != 0) return "cannot lock /tmp/loyalty-tests-pcscd.lock";
    }
    if (pid_t other = RunningPcscd(); other > 0) {
      return "another pcscd (pid " + std::to_string(other) +
             ") owns /run/pcscd; stop it to run these tests";
    }
    std::filesystem::create_directories(conf_dir);
    std::ofstream(conf_dir + "/vpcd") << "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:"
                                      << port << "\nLIBPATH " << kVpcdDriver
                                      << "\nCHANNELID " << port << "\n";
    std::fflush(nullptr);  // the child must not inherit (and write again) unwritten output
    pid_ = ::fork();
    if (pid_ == 0) {
      std::FILE* null = std::freopen("/dev/null", "w", stdout);
      (void)null;
      null = std::freopen("/dev/null", "w", stderr);
      ::execlp("pcscd", "pcscd", "--foreground", "--config", conf_dir.c_str(), nullptr);
      ::_exit(127);
    }
    // 60 s is a safety net: a loaded machine may take seconds.
    for (int i = 0; i < 1200; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) && WEXITSTATUS(status) == 127
                   ? "pcscd is not installed (scripts/packages.d/readers.txt)"
                   : "pcscd exited at start (status " + std::to_string(status) +
                         "): it cannot run in this sandbox";
      }
      if (ReaderListed("Virtual PCD")) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Stop();
    return "pcscd did not list the vpcd reader within 60 s";
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  ~Pcscd() {
    Stop();
    if (lock_ >= 0) ::close(lock_);
  }

 private:
  static pid_t RunningPcscd() {
    std::ifstream pid_file("/run/pcscd/pcscd.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 0 && ::kill(pid, 0) == 0) return pid;
    return 0;
  }
  pid_t pid_ = -1;
  int lock_ = -1;
};

}  // namespace loyalty::testing
