#include "sync/curl_transport.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <mutex>

#include "loyalty/env.hpp"

namespace loyalty::sync {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

bool Readable(const std::string& path) { return std::ifstream(path).good(); }

// What one request collects as libcurl hands it over.
struct Exchange {
  HttpResponse response;
  std::size_t max_bytes = 0;
  bool too_large = false;
  bool heard = false;  // a status line arrived
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (ex->response.body.size() + n > ex->max_bytes) {
    ex->too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  ex->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    ex->heard = true;
    ex->response.headers.clear();  // a new response (after 100 Continue)
    return n;
  }
  if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    ex->response.headers.emplace_back(Lower(std::string(line.substr(0, colon))),
                                      Trim(line.substr(colon + 1)));
  }
  return n;
}

class CurlTransport final : public Transport {
 public:
  CurlTransport(CURLM* multi, CURL* easy, std::size_t max_response_bytes)
      : multi_(multi), easy_(easy), max_response_bytes_(max_response_bytes) {}
  ~CurlTransport() override {
    curl_easy_cleanup(easy_);
    curl_multi_cleanup(multi_);
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  void Cancel() override {
    cancelled_ = true;
    curl_multi_wakeup(multi_);
  }
  void Resume() override { cancelled_ = false; }

  Status Configure(const SyncOptions& o);

 private:
  Status Classify(CURLcode code, const Exchange& ex) const;

  CURLM* multi_;
  CURL* easy_;
  std::size_t max_response_bytes_;
  bool has_client_cert_ = false;
  std::string base_url_;
  std::atomic<bool> cancelled_{false};
  char error_[CURL_ERROR_SIZE] = {};
};

Status CurlTransport::Configure(const SyncOptions& o) {
  base_url_ = o.server_url;
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  CURL* e = easy_;
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode c) {
    if (rc == CURLE_OK) rc = c;
  };
  set(curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_));
  set(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https"));
  set(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L));
  set(curl_easy_setopt(e, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  set(curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L));
  set(curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L));
  // An explicit empty proxy also keeps libcurl from reading proxy
  // variables from the environment.
  set(curl_easy_setopt(e, CURLOPT_PROXY, o.proxy.c_str()));
  set(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(o.connect_timeout.count())));
  set(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(o.request_timeout.count())));
  set(curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_bytes_per_s));
  set(curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.low_speed_time.count())));
  set(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(o.max_response_bytes)));
  if (!o.ca_pem.empty()) {
    curl_blob blob{const_cast<char*>(o.ca_pem.data()), o.ca_pem.size(), CURL_BLOB_COPY};
    set(curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob));
  } else if (!o.ca_file.empty()) {
    set(curl_easy_setopt(e, CURLOPT_CAINFO, o.ca_file.c_str()));
  }
  if (!o.pinned_public_key.empty()) {
    set(curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, o.pinned_public_key.c_str()));
  }
  has_client_cert_ = !o.client_cert_pem.empty() || !o.client_cert_file.empty();
  if (!o.client_cert_pem.empty()) {
    curl_blob cert{const_cast<char*>(o.client_cert_pem.data()), o.client_cert_pem.size(),
                   CURL_BLOB_COPY};
    curl_blob key{const_cast<char*>(o.client_key_pem.data()), o.client_key_pem.size(),
                  CURL_BLOB_COPY};
    set(curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert));
    set(curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM"));
    set(curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key));
    set(curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM"));
  } else if (!o.client_cert_file.empty()) {
    set(curl_easy_setopt(e, CURLOPT_SSLCERT, o.client_cert_file.c_str()));
    set(curl_easy_setopt(e, CURLOPT_SSLKEY, o.client_key_file.c_str()));
  }
  if (rc != CURLE_OK) {
    return {StatusCode::kUnsupported,
            std::string("sync: this libcurl refuses a setting: ") + curl_easy_strerror(rc)};
  }
  return Status::Ok();
}

Status CurlTransport::Classify(CURLcode code, const Exchange& ex) const {
  const std::string detail = error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(code);
  long connects = 0;
  curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &connects);
  const bool fresh_connection = connects > 0;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return {StatusCode::kTimeout, "sync: " + detail};
    case CURLE_PEER_FAILED_VERIFICATION: {
      long result = 0;
      curl_easy_getinfo(easy_, CURLINFO_SSL_VERIFYRESULT, &result);
      // libcurl checks the host name itself after OpenSSL accepted the chain.
      if (result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH ||
          detail.find("host name") != std::string::npos) {
        return {StatusCode::kTlsRefused,
                "TLS: the server's certificate is for another host name (" + detail + ")"};
      }
      if (result == X509_V_ERR_CERT_HAS_EXPIRED) {
        return {StatusCode::kTlsRefused, "TLS: the server's certificate has expired (" +
                                             detail + ")"};
      }
      return {StatusCode::kTlsRefused,
              std::string("TLS: the server's certificate is not trusted: ") +
                  X509_verify_cert_error_string(result) + " (check ca_file): " + detail};
    }
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return {StatusCode::kTlsRefused,
              "TLS: the server's public key does not match pinned_public_key"};
    case CURLE_SSL_CACERT_BADFILE:
      return {StatusCode::kTlsRefused, "TLS: the CA certificates cannot be read: " + detail};
    case CURLE_SSL_CERTPROBLEM:
      return {StatusCode::kTlsRefused, "TLS: the client certificate cannot be used: " + detail};
    case CURLE_SSL_CONNECT_ERROR:
      return {StatusCode::kTlsRefused, "TLS: handshake failed: " + detail};
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      // With TLS 1.3 a server that wants a client certificate says so in
      // an alert after the client thinks the handshake is done.
      // Or closes the connection before the client reads that alert.
      if (detail.find("alert") != std::string::npos || (fresh_connection && !ex.heard)) {
        return {StatusCode::kTlsRefused,
                std::string("TLS: the server closed the connection right after the handshake: "
                            "it refused this client (client certificate ") +
                    (has_client_cert_ ? "not accepted" : "missing: none is configured") +
                    "): " + detail};
      }
      return {StatusCode::kNetworkError, "sync: connection lost: " + detail};
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      if (ex.too_large || code == CURLE_FILESIZE_EXCEEDED) {
        return {StatusCode::kNetworkError, "sync: the server's answer is larger than " +
                                               std::to_string(max_response_bytes_) +
                                               " bytes (max_response_bytes): refused"};
      }
      return {StatusCode::kNetworkError, "sync: " + detail};
    case CURLE_COULDNT_CONNECT:
      return {StatusCode::kNetworkError, "sync: cannot connect to the server: " + detail};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {StatusCode::kNetworkError, "sync: unknown host: " + detail};
    default:
      return {StatusCode::kNetworkError, "sync: " + detail};
  }
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  if (cancelled_) return Status(StatusCode::kCancelled, "sync: stopped");
  error_[0] = '\0';
  Exchange ex;
  ex.max_bytes = max_response_bytes_;
  const std::string url = base_url_ + request.target;
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");  // no 100-continue wait
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          &curl_slist_free_all);
  curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &ex);
  if (request.method == "POST") {
    curl_easy_setopt(easy_, CURLOPT_POST, 1L);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
  }

  curl_multi_add_handle(multi_, easy_);
  CURLcode result = CURLE_OK;
  bool done = false;
  while (!done) {
    int running = 0;
    if (CURLMcode m = curl_multi_perform(multi_, &running); m != CURLM_OK) {
      curl_multi_remove_handle(multi_, easy_);
      return Status(StatusCode::kNetworkError,
                    std::string("sync: ") + curl_multi_strerror(m));
    }
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
      if (msg->msg == CURLMSG_DONE) {
        result = msg->data.result;
        done = true;
      }
    }
    if (done) break;
    if (cancelled_) {
      // Abandons the request; the connection is closed with it.
      curl_multi_remove_handle(multi_, easy_);
      return Status(StatusCode::kCancelled, "sync: stopped during a request");
    }
    // Wakes on socket activity, on Cancel() (curl_multi_wakeup) or after
    // at most 200 ms, so libcurl's timeouts are checked.
    curl_multi_poll(multi_, nullptr, 0, 200, nullptr);
  }
  curl_multi_remove_handle(multi_, easy_);
  if (result != CURLE_OK) return Classify(result, ex);
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  ex.response.status = static_cast<int>(status);
  return std::move(ex.response);
}

}  // namespace

Result<std::unique_ptr<Transport>> MakeCurlTransport(const SyncOptions& options) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (options.server_url.rfind("https://", 0) != 0) {
    return Status(StatusCode::kInvalidArgument,
                  "server_url: '" + options.server_url + "' is not an https:// address");
  }
  if (options.ca_pem.empty() && !options.ca_file.empty() && !Readable(options.ca_file)) {
    return Status(StatusCode::kInvalidArgument, "ca_file: cannot read " + options.ca_file);
  }
  if (options.client_cert_pem.empty() && !options.client_cert_file.empty()) {
    if (!Readable(options.client_cert_file)) {
      return Status(StatusCode::kInvalidArgument,
                    "client_cert_file: cannot read " + options.client_cert_file);
    }
    // libcurl reads the key itself; the file is checked to be the till
    // user's alone first (issue 7: keys are 0600 or refused).
    auto key = ReadSecretFile(options.client_key_file);
    if (!key.ok()) {
      return Status(StatusCode::kInvalidArgument, "client_key_file: " + key.status().message());
    }
    OPENSSL_cleanse(key->data(), key->size());
  }
  if (!options.client_cert_pem.empty() && options.client_key_pem.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "client_key_pem: is empty while client_cert_pem is set");
  }
  CURLM* multi = curl_multi_init();
  CURL* easy = curl_easy_init();
  if (multi == nullptr || easy == nullptr) {
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
    return Status(StatusCode::kInternal, "sync: libcurl could not start");
  }
  auto transport = std::make_unique<CurlTransport>(multi, easy, options.max_response_bytes);
  if (Status s = transport->Configure(options); !s.ok()) return s;
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace loyalty::sync
