// Throwaway PKI made in-process with OpenSSL for the TLS tests: a CA, leaf
// certificates with chosen names and validity, and curl-style key pins.
#pragma once

#include <string>
#include <vector>

namespace loyalty::testing {

struct KeyAndCert {
  std::string key_pem;
  std::string cert_pem;
};

struct LeafSpec {
  std::string common_name = "127.0.0.1";
  std::vector<std::string> dns;  // subjectAltName DNS entries
  std::vector<std::string> ips;  // subjectAltName IP entries
  long not_before_s = -3600;     // relative to now
  long not_after_s = 86'400;     // negative: already expired
  bool client = false;           // clientAuth instead of serverAuth
};

class TestCa {
 public:
  explicit TestCa(const std::string& name = "libloyalty Test CA");
  const std::string& cert_pem() const { return ca_.cert_pem; }
  KeyAndCert Issue(const LeafSpec& spec) const;
  // The usual server certificate: CN and SAN 127.0.0.1 and localhost.
  KeyAndCert Server() const;
  // A client certificate naming a terminal.
  KeyAndCert Client(const std::string& terminal_id) const;

 private:
  KeyAndCert ca_;
};

// "sha256//<base64 of SHA-256 of the DER SubjectPublicKeyInfo>".
std::string PinOf(const std::string& cert_pem);

}  // namespace loyalty::testing
