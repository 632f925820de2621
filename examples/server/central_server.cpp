#include "central_server.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <regex>

#include "ledger/chain.hpp"
#include "ledger/mac.hpp"
#include "metrics.hpp"
#include "open_store.hpp"
#include "push_body.hpp"
#include "sync/request_signer.hpp"
#include "trust/codec.hpp"

namespace loyalty::server {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey ReadPrivateKey(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return Pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

std::vector<X509*> ReadCertificates(const std::string& pem) {
  std::vector<X509*> out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  while (bio) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    out.push_back(cert);
  }
  return out;
}

std::string Sign(EVP_PKEY* key, const std::string& message) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string sig(64, '\0');
  size_t length = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return {};
  }
  sig.resize(length);
  return sig;
}

class Ed25519ReceiptSigner final : public ReceiptSigner {
 public:
  explicit Ed25519ReceiptSigner(Pkey key) : key_(std::move(key)) {}
  std::string Sign(const std::string& message) const override {
    return server::Sign(key_.get(), message);
  }

 private:
  Pkey key_;
};

Answer Error(int status, const std::string& code, const std::string& reason,
             json extra = json::object()) {
  return ErrorAnswer(status, code, reason, std::move(extra));
}

bool ValidBatchId(const std::string& id) {
  static const std::regex kId("[A-Za-z0-9_-]{1,64}");
  return std::regex_match(id, kId);
}

}  // namespace

struct CentralServer::Impl {
  ServerOptions options;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  std::unique_ptr<httplib::SSLServer> http;
  std::unique_ptr<Ed25519ReceiptSigner> signer;
  CentralStore* store = nullptr;
  CentralServer* owner = nullptr;

  struct Pending {
    Fault fault;
    std::string path_part;
    int param;
  };
  std::mutex faults_mutex;
  std::deque<Pending> faults;
  // No lock here: the store orders one terminal's batches (SQLite: one
  // writer; PostgreSQL: the terminal's head row), so that several server
  // processes on one database are as safe as one.
  Metrics metrics;

  std::int64_t NowMs() const { return clock->Now().time_since_epoch().count(); }

  std::optional<Pending> TakeFault(const std::string& path) {
    std::lock_guard<std::mutex> guard(faults_mutex);
    for (auto it = faults.begin(); it != faults.end(); ++it) {
      if (path.find(it->path_part) != std::string::npos) {
        Pending p = *it;
        faults.erase(it);
        return p;
      }
    }
    return std::nullopt;
  }

  // §2.2: who is asking, and whether the request is theirs and fresh.
  // On failure fills `answer`; `key` is set whenever the terminal is known
  // (so the refusal is signed).
  bool Authenticate(const httplib::Request& req, const std::string& terminal_id,
                    std::string& key, Answer& answer) {
    const std::string auth = req.get_header_value("Authorization");
    static const std::regex kAuth(
        R"(LOYALTY1-HMAC-SHA256 Credential=([^,\s]+),\s*Signature=([0-9a-f]{64}))");
    std::smatch m;
    if (!std::regex_match(auth, m, kAuth)) {
      answer = Error(401, "bad_signature", "Authorization header missing or malformed");
      return false;
    }
    if (m[1].str() != terminal_id) {
      answer = Error(401, "unknown_terminal", "Credential does not name the path's terminal");
      return false;
    }
    auto terminal = store->FindTerminal(terminal_id);
    if (!terminal.ok()) {
      answer = Error(500, "internal", terminal.status().message());
      return false;
    }
    if (!*terminal) {
      answer = Error(401, "unknown_terminal", "no terminal " + terminal_id);
      return false;
    }
    key = (*terminal)->key;
    if ((*terminal)->revoked) {
      answer = Error(403, "terminal_revoked", "terminal " + terminal_id + " may not sync");
      return false;
    }
    const std::string ts_text = req.get_header_value("X-Loyalty-Timestamp");
    const std::string nonce = req.get_header_value("X-Loyalty-Nonce");
    std::int64_t ts = 0;
    try {
      ts = std::stoll(ts_text);
    } catch (const std::exception&) {
      answer = Error(400, "bad_request", "X-Loyalty-Timestamp: not a number");
      return false;
    }
    std::string_view target = req.target;
    std::string_view path = target, query;
    if (const size_t q = target.find('?'); q != std::string_view::npos) {
      path = target.substr(0, q);
      query = target.substr(q + 1);
    }
    ledger::Mac mac(key);
    auto claimed = trust::FromHex(m[2].str());
    const std::string expected =
        mac.Compute(sync::RequestStringToSign(req.method, path, query, ts, nonce, req.body));
    if (!claimed || !ledger::SameMac(*claimed, expected)) {
      answer = Error(401, "bad_signature", "the request signature does not verify");
      return false;
    }
    if (req.has_header("Content-Digest") &&
        req.get_header_value("Content-Digest") !=
            "sha-256=:" + trust::ToBase64(trust::Sha256(req.body)) + ":") {
      answer = Error(401, "bad_signature", "Content-Digest does not match the body");
      return false;
    }
    const std::int64_t now = NowMs();
    if (ts < now - options.max_skew_ms || ts > now + options.max_skew_ms) {
      answer = Error(401, "clock_skew",
                     "timestamp is " + std::to_string((ts - now) / 1000) + " s off",
                     {{"server_time", now}});
      return false;
    }
    if (nonce.size() != 32) {
      answer = Error(400, "bad_request", "X-Loyalty-Nonce: not 32 hex characters");
      return false;
    }
    auto fresh = store->RememberNonce(terminal_id, nonce, now, now + options.nonce_ttl_ms);
    if (!fresh.ok()) {
      answer = Error(500, "internal", fresh.status().message());
      return false;
    }
    if (!*fresh) {
      answer = Error(401, "nonce_reused", "this request was seen before");
      return false;
    }
    if (req.ssl != nullptr && !options.client_ca_pem.empty()) {
      X509* peer = SSL_get1_peer_certificate(const_cast<SSL*>(req.ssl));
      std::string cn;
      if (peer != nullptr) {
        char buffer[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buffer,
                                  sizeof buffer);
        cn = buffer;
        X509_free(peer);
      }
      if (cn != terminal_id) {
        answer = Error(403, "certificate_mismatch",
                       "the client certificate names '" + cn + "', not " + terminal_id);
        return false;
      }
    }
    return true;
  }

  // Sends `answer` signed for the request (§2.3), suffering `fault`.
  void Reply(const httplib::Request& req, httplib::Response& res, const Answer& answer,
             const std::string& key, const std::optional<Pending>& fault,
             double store_seconds = -1) {
    owner->requests_++;
    if (req.path.find("/batches") != std::string::npos) {
      metrics.CountPush(answer.status, answer.tally, store_seconds);
    } else {
      metrics.CountPull(answer.status);
    }
    res.status = answer.status;
    const std::string nonce = req.get_header_value("X-Loyalty-Nonce");
    std::string body = answer.body;
    std::string signing_key = key;
    if (fault && fault->fault == Fault::kGarbage) body = "<html><body>Bad Gateway</body></html>";
    if (fault && fault->fault == Fault::kWrongSignature) signing_key = "not the terminal's key";
    if (!key.empty()) {
      ledger::Mac mac(signing_key);
      res.set_header("X-Loyalty-Signature",
                     trust::ToHex(mac.Compute(sync::ResponseStringToSign(answer.status, nonce,
                                                                        body))));
    }
    if (fault && (fault->fault == Fault::kCommitThenDrop || fault->fault == Fault::kTruncated)) {
      // Declares the whole body, then closes early: the client hears
      // nothing it can trust.
      const std::size_t send = fault->fault == Fault::kTruncated ? body.size() / 2 : 0;
      auto shared = std::make_shared<std::string>(body);
      res.set_content_provider(
          body.size(), "application/json",
          [shared, send](size_t offset, size_t, httplib::DataSink& sink) {
            if (offset < send) sink.write(shared->data() + offset, send - offset);
            return false;
          });
      return;
    }
    res.set_content(body, "application/json");
  }

  // What every request goes through before its own work.
  struct Call {
    std::string terminal_id;
    std::string key;  // the terminal's, once known
    std::optional<Pending> fault;
  };

  // Takes the request's fault, authenticates it and answers the faults that
  // come before any work. False when the request is answered already.
  bool Admit(const httplib::Request& req, httplib::Response& res, Call& call) {
    call.terminal_id = req.matches[1];
    call.fault = TakeFault(req.path);
    if (call.fault && call.fault->fault == Fault::kSlow) {
      std::this_thread::sleep_for(std::chrono::milliseconds(call.fault->param));
    }
    Answer answer;
    if (!Authenticate(req, call.terminal_id, call.key, answer)) {
      Reply(req, res, answer, call.key, {});
      return false;
    }
    if (auto early = Early(call.fault, res)) {
      Reply(req, res, *early, call.key, {});
      return false;
    }
    return true;
  }

  void Push(const httplib::Request& req, httplib::Response& res) {
    Call call;
    if (!Admit(req, res, call)) return;
    const std::string& terminal_id = call.terminal_id;
    const std::string& key = call.key;
    const std::optional<Pending>& fault = call.fault;
    if (req.body.size() > kMaxBodyBytes) {
      return Reply(req, res,
                   Error(413, "batch_too_large", "over 4 MiB", {{"max_entries", kMaxEntries}}),
                   key, fault);
    }
    auto batch = ParsePush(req.body);
    if (!batch.ok()) {
      if (batch.status().message() == "entries: too many") {
        return Reply(req, res,
                     Error(413, "batch_too_large", "over 5000 entries",
                           {{"max_entries", kMaxEntries}}),
                     key, fault);
      }
      return Reply(req, res, Error(400, "bad_request", batch.status().message()), key, fault);
    }
    if (batch->terminal_id != terminal_id) {
      return Reply(req, res, Error(400, "bad_request", "terminal_id: differs from the path"),
                   key, fault);
    }
    if (batch->batch_id != req.get_header_value("Idempotency-Key") ||
        !ValidBatchId(batch->batch_id)) {
      return Reply(req, res,
                   Error(400, "bad_request",
                         "batch_id: must equal Idempotency-Key, 1-64 of [A-Za-z0-9_-]"),
                   key, fault);
    }
    auto chain = ledger::Chain::Create(key);
    if (!chain.ok()) return Reply(req, res, Error(500, "internal", chain.status().message()), key, fault);
    const auto started = std::chrono::steady_clock::now();
    Result<Answer> applied = store->ApplyBatch(*batch, *chain, *signer, NowMs());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!applied.ok()) {
      return Reply(req, res, Error(500, "internal", applied.status().message()), key, fault,
                   seconds);
    }
    Reply(req, res, *applied, key, fault, seconds);
  }

  void Pull(const httplib::Request& req, httplib::Response& res) {
    Call call;
    if (!Admit(req, res, call)) return;
    const std::string& terminal_id = call.terminal_id;
    const std::string& key = call.key;
    const std::optional<Pending>& fault = call.fault;
    std::int64_t cursor = 0;
    int limit = 500;
    try {
      const std::string c = req.get_param_value("cursor");
      if (!c.empty()) cursor = std::stoll(c);
      if (req.has_param("limit")) limit = std::stoi(req.get_param_value("limit"));
    } catch (const std::exception&) {
      return Reply(req, res, Error(400, "bad_request", "cursor or limit: not a number"), key, fault);
    }
    if (limit < 1 || limit > 1000) {
      return Reply(req, res, Error(400, "bad_request", "limit: 1 to 1000"), key, fault);
    }
    auto page = store->Changes(terminal_id, cursor, limit, NowMs());
    if (!page.ok()) return Reply(req, res, Error(500, "internal", page.status().message()), key, fault);
    Reply(req, res, {200, page->dump()}, key, fault);
  }

  // GET /health: 200 when the store answers, 503 otherwise. Unsigned and
  // unauthenticated, for load balancers and probes.
  void ServeHealth(httplib::Response& res) {
    const Status s = store->Ping();
    res.status = s.ok() ? 200 : 503;
    res.set_content(s.ok() ? json{{"status", "ok"}}.dump()
                           : json{{"status", "unavailable"}, {"reason", s.message()}}.dump(),
                    "application/json");
  }

  // GET /metrics: the Prometheus text format (metrics.hpp).
  void ServeMetrics(httplib::Response& res) {
    auto terminals = store->Terminals();
    if (!terminals.ok()) {
      res.status = 503;
      res.set_content(terminals.status().message() + "\n", "text/plain");
      return;
    }
    res.set_content(metrics.Render(*terminals, NowMs()), "text/plain; version=0.0.4");
  }

  // Faults that answer before any work.
  std::optional<Answer> Early(const std::optional<Pending>& fault, httplib::Response& res) {
    if (!fault) return std::nullopt;
    switch (fault->fault) {
      case Fault::kInternalError:
        return Error(500, "internal", "injected");
      case Fault::kUnavailable:
        res.set_header("Retry-After", std::to_string(fault->param));
        return Error(503, "unavailable", "injected");
      case Fault::kBusy:
        res.set_header("Retry-After", std::to_string(fault->param));
        return Error(429, "busy", "injected");
      default:
        return std::nullopt;
    }
  }
};

Result<std::unique_ptr<CentralServer>> CentralServer::Start(ServerOptions options) {
  std::unique_ptr<CentralServer> server(new CentralServer());
  auto store = OpenStore(options.db_path);
  if (!store.ok()) return store.status();
  server->store_ = std::move(*store);
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->clock = options.clock ? options.clock : &impl->system_clock;
  impl->store = server->store_.get();
  impl->owner = server.get();
  Pkey receipt_key = ReadPrivateKey(options.receipt_key_pem);
  if (!receipt_key || EVP_PKEY_get_base_id(receipt_key.get()) != EVP_PKEY_ED25519) {
    return Status(StatusCode::kInvalidArgument, "receipt key: not an Ed25519 private key (PEM)");
  }
  impl->signer = std::make_unique<Ed25519ReceiptSigner>(std::move(receipt_key));

  std::vector<X509*> certs = ReadCertificates(options.cert_pem);
  Pkey tls_key = ReadPrivateKey(options.key_pem);
  if (certs.empty() || !tls_key) {
    for (X509* c : certs) X509_free(c);
    return Status(StatusCode::kInvalidArgument, "TLS: certificate or key is not PEM");
  }
  X509_STORE* client_cas = nullptr;
  if (!options.client_ca_pem.empty()) {
    client_cas = X509_STORE_new();
    for (X509* ca : ReadCertificates(options.client_ca_pem)) {
      X509_STORE_add_cert(client_cas, ca);
      X509_free(ca);
    }
  }
  // The SSL context keeps its own references; the client CA store is its.
  impl->http = std::make_unique<httplib::SSLServer>(certs.front(), tls_key.get(), client_cas);
  for (X509* c : certs) X509_free(c);
  if (!impl->http->is_valid()) {
    return Status(StatusCode::kInvalidArgument, "TLS: the certificate and key do not match");
  }
  Impl* im = impl.get();
  impl->http->set_tcp_nodelay(true);
  impl->http->set_keep_alive_max_count(1000);
  impl->http->set_keep_alive_timeout(options.keep_alive_s);
  impl->http->set_payload_max_length(2 * kMaxBodyBytes);
  impl->http->Post(R"(/v1/terminals/([A-Za-z0-9_.-]+)/batches)",
                   [im](const httplib::Request& req, httplib::Response& res) { im->Push(req, res); });
  impl->http->Get(R"(/v1/terminals/([A-Za-z0-9_.-]+)/changes)",
                  [im](const httplib::Request& req, httplib::Response& res) { im->Pull(req, res); });
  impl->http->Get("/health", [im](const httplib::Request&, httplib::Response& res) {
    im->ServeHealth(res);
  });
  impl->http->Get("/metrics", [im](const httplib::Request&, httplib::Response& res) {
    im->ServeMetrics(res);
  });
  int port = options.port == 0 ? impl->http->bind_to_any_port(options.listen)
                               : (impl->http->bind_to_port(options.listen, options.port)
                                      ? options.port
                                      : -1);
  if (port <= 0) {
    return Status(StatusCode::kIoError,
                  "cannot listen on " + options.listen + ":" + std::to_string(options.port));
  }
  server->port_ = port;
  server->impl_ = std::move(impl);
  server->thread_ = std::thread([im] { im->http->listen_after_bind(); });
  for (int i = 0; i < 500 && !im->http->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return server;
}

CentralServer::~CentralServer() { Stop(); }

void CentralServer::Stop() {
  if (impl_ && impl_->http) impl_->http->stop();
  if (thread_.joinable()) thread_.join();
}

void CentralServer::Inject(Fault fault, const std::string& path_part, int param) {
  std::lock_guard<std::mutex> guard(impl_->faults_mutex);
  impl_->faults.push_back({fault, path_part, param});
}

Result<std::pair<std::string, std::string>> NewEd25519KeyPair() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Status(StatusCode::kInternal, "Ed25519 key generation failed");
  auto pem = [&key](bool is_private) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (is_private) {
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PUBKEY(bio.get(), key.get());
    }
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  };
  return std::make_pair(pem(true), pem(false));
}

Result<std::string> SignEd25519(const std::string& private_key_pem, const std::string& message) {
  Pkey key = ReadPrivateKey(private_key_pem);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519) {
    return Status(StatusCode::kInvalidArgument, "signing key: not an Ed25519 private key (PEM)");
  }
  std::string sig = Sign(key.get(), message);
  if (sig.size() != 64) return Status(StatusCode::kInternal, "Ed25519 signing failed");
  return sig;
}

}  // namespace loyalty::server
