// The signature file of a program (<program>.sig: base64 Ed25519, written
// by `loyalty-server sign-program`), as a till pinned to the chain's
// program key reads it from disk (terminal::CheckProgramSignature). The
// input is the .sig file; the program beside it is fixed and genuinely
// signed, so mutations of the real signature are tried as well as garbage.
// A file that passes must hold exactly the chain's signature: no other
// bytes (a second encoding of it decodes to the same bytes) may verify.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "terminal/program_file.hpp"
#include "trust/codec.hpp"
#include "trust/ed25519.hpp"

namespace {

// Ed25519 key from the private bytes 01..20, signature of kDocument under
// it (made with Python's `cryptography`; fuzz/corpus/program_sig_fuzz/
// holds it as a seed).
constexpr const char* kPublicKey = R"(-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=
-----END PUBLIC KEY-----
)";
constexpr const char* kDocument =
    R"({"format": 1, "id": "sig", "version": 2, "currency": "EUR", "earn": {"points": 1, "per": "1.00"}})"
    "\n";
constexpr const char* kSignature =
    "fhZaAn7Gec/agLvnSm7EXe6nhRh6oT4O9b+5kXQy8gs/qJgS8Mdy1tniBqMasTdC6G+BRbw0pN7H3SYHVahjDw==";

struct Fixture {
  std::string program;
  std::string signature_bytes;
  loyalty::trust::Ed25519Verifier key;
};

const Fixture& Setup() {
  static const Fixture fixture = [] {
    const std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    const std::filesystem::path dir = base / ("loyalty-sig-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // The folder goes when the fuzzer exits (a crash leaves it to look at).
    static std::filesystem::path made;
    made = dir;
    std::atexit([] { std::filesystem::remove_all(made); });
    const std::string program = (dir / "program.json").string();
    std::ofstream(program, std::ios::binary) << kDocument;
    auto key = loyalty::trust::Ed25519Verifier::FromPem(kPublicKey, "program key");
    auto bytes = loyalty::trust::FromBase64(kSignature);
    if (!key.ok() || !bytes) std::abort();
    Fixture f{program, *bytes, *key};
    // The genuine file must pass, or every mutation "failing" proves nothing.
    std::ofstream(program + ".sig", std::ios::binary) << kSignature << "\n";
    if (!loyalty::terminal::CheckProgramSignature(program, kDocument, f.key).ok()) std::abort();
    return f;
  }();
  return fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& f = Setup();
  const std::string sig(reinterpret_cast<const char*>(data), size);
  {
    std::ofstream out(f.program + ".sig", std::ios::binary | std::ios::trunc);
    out << sig;
  }
  const loyalty::Status status =
      loyalty::terminal::CheckProgramSignature(f.program, kDocument, f.key);
  if (status.ok()) {
    std::string encoded = sig;
    while (!encoded.empty() && (encoded.back() == '\n' || encoded.back() == '\r' ||
                                encoded.back() == ' ')) {
      encoded.pop_back();
    }
    const auto decoded = loyalty::trust::FromBase64(encoded);
    if (!decoded || *decoded != f.signature_bytes) std::abort();  // a second signature passed
  } else if (status.code() != loyalty::StatusCode::kTampered || status.message().size() > 600) {
    std::abort();  // refused as anything but tampering, or quoting the file whole
  }
  return 0;
}
