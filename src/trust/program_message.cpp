#include "trust/program_message.hpp"

namespace loyalty::trust {

std::string ProgramMessage(const std::string& document) {
  return "loyalty-program-v1\n" + document;
}

}  // namespace loyalty::trust
