#include "support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace loyalty::testing {
namespace {

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int Listen(std::uint16_t& port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("fault proxy: socket failed");
  sockaddr_in a = Loopback(0);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 16) != 0) {
    close(fd);
    throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// Closing with SO_LINGER {1, 0} sends a TCP reset instead of a FIN.
void Reset(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

bool SendAll(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

std::uint16_t ClosedPort() {
  std::uint16_t port = 0;
  close(Listen(port));
  return port;
}

FaultProxy::FaultProxy(std::uint16_t upstream_port) : upstream_(upstream_port) {
  listener_ = Listen(port_);
  acceptor_ = std::thread([this] { Accept(); });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
  close(listener_);
}

void FaultProxy::SetMode(Mode mode, std::size_t reset_after) {
  std::lock_guard<std::mutex> guard(mutex_);
  mode_ = mode;
  reset_after_ = reset_after;
}

void FaultProxy::Accept() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> guard(mutex_);
    workers_.emplace_back([this, client, mode = mode_, after = reset_after_] {
      Serve(client, mode, after);
    });
  }
}

void FaultProxy::Serve(int client, Mode mode, std::size_t reset_after) {
  char buffer[16384];
  if (mode == Mode::kBlackhole) {
    while (!stop_) {
      pollfd p{client, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const ssize_t n = recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      client_bytes_ += static_cast<std::size_t>(n);
    }
    close(client);
    return;
  }
  const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = Loopback(upstream_);
  if (server < 0 || connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    if (server >= 0) close(server);
    Reset(client);
    return;
  }
  const int one = 1;
  setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::size_t from_server = 0;
  std::string drip;  // the server's bytes not yet dripped
  auto next_drip = std::chrono::steady_clock::now();
  bool open = true;
  while (open && !stop_) {
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (poll(p, 2, 50) < 0) break;
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = recv(client, buffer, sizeof buffer, 0);
      if (n > 0) client_bytes_ += static_cast<std::size_t>(n);
      if (n <= 0 || !SendAll(server, buffer, static_cast<std::size_t>(n))) open = false;
    }
    if (open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      const ssize_t n = recv(server, buffer, sizeof buffer, 0);
      if (n <= 0) {
        open = false;
      } else if (mode == Mode::kDrip) {
        drip.append(buffer, static_cast<std::size_t>(n));
      } else {
        std::size_t give = static_cast<std::size_t>(n);
        if (mode == Mode::kResetAfter && from_server + give >= reset_after) {
          give = reset_after - from_server;
          SendAll(client, buffer, give);
          Reset(client);
          Reset(server);
          return;
        }
        from_server += give;
        if (!SendAll(client, buffer, give)) open = false;
      }
    }
    if (mode == Mode::kDrip && !drip.empty() &&
        std::chrono::steady_clock::now() >= next_drip) {
      if (!SendAll(client, drip.data(), 1)) open = false;
      drip.erase(0, 1);
      next_drip = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
  }
  if (mode == Mode::kPass) last_server_bytes_ = from_server;
  close(server);
  close(client);
}

}  // namespace loyalty::testing
