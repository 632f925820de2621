#include "support/test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace loyalty::testing {
namespace {

struct Free {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
  void operator()(X509* x) const noexcept { X509_free(x); }
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

std::string Drain(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string KeyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write key");
  return Drain(bio.get());
}

std::string CertPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_X509(bio.get(), cert) == 1, "write certificate");
  return Drain(bio.get());
}

Key ReadKey(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Cert ReadCert(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  Check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// An unsigned certificate for `key` named `cn`, issued by `issuer` (by
// itself when null).
Cert Make(EVP_PKEY* key, const std::string& cn, X509* issuer, long not_before_s,
          long not_after_s) {
  static long serial = 1;
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_s);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  return cert;
}

}  // namespace

TestCa::TestCa(const std::string& name) {
  Key key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "CA key");
  Cert cert = Make(key.get(), name, nullptr, -3600, 2 * 86'400);
  AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign CA");
  ca_ = {KeyPem(key.get()), CertPem(cert.get())};
}

KeyAndCert TestCa::Issue(const LeafSpec& spec) const {
  Key ca_key = ReadKey(ca_.key_pem);
  Cert ca_cert = ReadCert(ca_.cert_pem);
  Key key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "leaf key");
  Cert cert = Make(key.get(), spec.common_name, ca_cert.get(), spec.not_before_s,
                   spec.not_after_s);
  AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
  AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage,
               spec.client ? "clientAuth" : "serverAuth");
  AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid");
  std::string san;
  for (const std::string& d : spec.dns) san += (san.empty() ? "" : ",") + ("DNS:" + d);
  for (const std::string& ip : spec.ips) san += (san.empty() ? "" : ",") + ("IP:" + ip);
  if (!san.empty()) AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, san);
  Check(X509_sign(cert.get(), ca_key.get(), EVP_sha256()) > 0, "sign leaf");
  return {KeyPem(key.get()), CertPem(cert.get())};
}

KeyAndCert TestCa::Server() const {
  LeafSpec spec;
  spec.dns = {"localhost"};
  spec.ips = {"127.0.0.1"};
  return Issue(spec);
}

KeyAndCert TestCa::Client(const std::string& terminal_id) const {
  LeafSpec spec;
  spec.common_name = terminal_id;
  spec.client = true;
  return Issue(spec);
}

std::string PinOf(const std::string& cert_pem) {
  Cert cert = ReadCert(cert_pem);
  Check(cert != nullptr, "read certificate for pin");
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(X509_get0_pubkey(cert.get()), &der);
  Check(n > 0, "encode public key");
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_Digest(der, static_cast<size_t>(n), digest, &length, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  unsigned char b64[64] = {};
  EVP_EncodeBlock(b64, digest, static_cast<int>(length));
  return "sha256//" + std::string(reinterpret_cast<char*>(b64));
}

}  // namespace loyalty::testing
