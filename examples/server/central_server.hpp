// The reference central server (docs/sync-protocol.md): HTTPS with
// cpp-httplib over OpenSSL, request signatures, push and pull, receipts
// signed with Ed25519, storage behind CentralStore. Runs in-process (tests,
// benchmarks) or as `loyalty-server serve`.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "loyalty/env.hpp"
#include "loyalty/status.hpp"
#include "store.hpp"

namespace loyalty::server {

struct ServerOptions {
  // The store (open_store.hpp): a file path or "sqlite:PATH" (SQLite,
  // created if absent) or a "postgresql://..." URI (migrated at start).
  std::string db_path;
  std::string cert_pem;         // the server's certificate chain (PEM)
  std::string key_pem;          // and its private key
  std::string client_ca_pem;    // non-empty: mutual TLS, client certs from this CA
  std::string receipt_key_pem;  // Ed25519 private key that signs receipts
  std::string listen = "127.0.0.1";
  int port = 0;                 // 0: any free port (see port())
  std::int64_t max_skew_ms = 300'000;   // accepted timestamp drift (§2.2)
  std::int64_t nonce_ttl_ms = 600'000;  // how long a nonce is remembered
  int keep_alive_s = 5;                 // idle connections close after this (and Stop waits)
  const Clock* clock = nullptr;         // nullptr: the system clock; not owned
};

// What the next requests suffer, for the client's fault tests. Each fault
// hits one request (of the kind named, or any) and is used up.
enum class Fault {
  kCommitThenDrop,  // process and commit, then close before the body
  kTruncated,       // process and commit, then send half the body and close
  kGarbage,         // process and commit, then answer 200 with a non-JSON body
  kWrongSignature,  // process and commit, then sign the answer with a wrong key
  kInternalError,   // 500 without processing
  kUnavailable,     // 503 + Retry-After without processing
  kBusy,            // 429 + Retry-After without processing
  kSlow,            // wait `param` ms, then process normally
};

class CentralServer {
 public:
  // Opens the store, binds and starts serving on a thread of its own.
  static Result<std::unique_ptr<CentralServer>> Start(ServerOptions options);
  ~CentralServer();  // Stop()s
  CentralServer(const CentralServer&) = delete;
  CentralServer& operator=(const CentralServer&) = delete;

  void Stop();
  int port() const { return port_; }
  CentralStore& store() { return *store_; }

  // Queues a fault for the next request whose path contains `path_part`
  // ("batches", "changes", or "" for any). `param`: ms for kSlow, seconds
  // of Retry-After for kUnavailable and kBusy.
  void Inject(Fault fault, const std::string& path_part = "", int param = 0);
  // Requests answered so far (any status).
  int requests() const { return requests_.load(); }

  struct Impl;

 private:
  CentralServer() = default;
  std::unique_ptr<CentralStore> store_;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
};

// Makes PEM text of a new Ed25519 key pair: {private, public}.
Result<std::pair<std::string, std::string>> NewEd25519KeyPair();
// Signs `message` with an Ed25519 private key (PEM): 64 raw bytes.
Result<std::string> SignEd25519(const std::string& private_key_pem, const std::string& message);

}  // namespace loyalty::server
