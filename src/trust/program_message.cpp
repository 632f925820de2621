#include "trust/program_message.hpp"

namespace loyalty::trust {

std::string ProgramMessage(const std::string& document) {
  return "loyalty-program-v1\n" + document;
}

std::string SignatureFileFor(const std::string& path) { return path + ".sig"; }

}  // namespace loyalty::trust
