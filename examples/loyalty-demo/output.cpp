#include "output.hpp"

#include <iostream>

#include "exit_codes.hpp"
#include "result_json.hpp"

namespace loyalty_demo {
namespace {

void PrintLine(const Json& object) {
  std::cout << object.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n'
            << std::flush;
}

}  // namespace

void Show(const TillSettings& settings, const Json& object,
          const std::function<void(std::ostream&)>& text) {
  if (settings.json) {
    PrintLine(object);
  } else {
    text(std::cout);
    std::cout << std::flush;
  }
}

int ShowError(bool json, const loyalty::Status& status, int exit_code) {
  if (exit_code < 0) exit_code = ExitCodeFor(status.code());
  if (json) {
    PrintLine(ErrorJson(status, exit_code));
  } else {
    std::cerr << "error: " << status.ToString() << '\n';
  }
  return exit_code;
}

}  // namespace loyalty_demo
