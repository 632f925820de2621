// A TCP proxy on 127.0.0.1 that misbehaves on demand, between the sync
// client and the reference server. TLS passes through it untouched, so the
// client still verifies the real server; the proxy only breaks the pipe:
// it swallows traffic (blackhole), drips the server's bytes one per second,
// or resets the connection after a number of the server's bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace loyalty::testing {

class FaultProxy {
 public:
  enum class Mode {
    kPass,       // forward both ways
    kBlackhole,  // accept, read everything, answer nothing, never connect upstream
    kDrip,       // forward the server's bytes at one byte per second
    kResetAfter, // forward; after `reset_after` bytes from the server, RST both sides
  };

  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:upstream.
  explicit FaultProxy(std::uint16_t upstream_port);
  ~FaultProxy();  // closes every connection; returns within ~200 ms
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // Applies to connections accepted from now on.
  void SetMode(Mode mode, std::size_t reset_after = 0);
  // Connections accepted so far.
  int connections() const { return connections_.load(); }
  // Bytes the server sent through the last finished kPass connection.
  std::size_t last_server_bytes() const { return last_server_bytes_.load(); }
  // Bytes any client has sent to the proxy (in every mode): a test waits on
  // it to know a request is on the wire instead of sleeping.
  std::size_t client_bytes() const { return client_bytes_.load(); }

 private:
  void Accept();
  void Serve(int client, Mode mode, std::size_t reset_after);

  std::uint16_t upstream_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<std::size_t> last_server_bytes_{0};
  std::atomic<std::size_t> client_bytes_{0};
  std::mutex mutex_;
  Mode mode_ = Mode::kPass;
  std::size_t reset_after_ = 0;
  std::vector<std::thread> workers_;  // under mutex_
  std::thread acceptor_;
};

// A port on 127.0.0.1 where nothing listens (connection refused).
std::uint16_t ClosedPort();

}  // namespace loyalty::testing
