#include "loyalty/version.hpp"

namespace loyalty {

const char* Version() noexcept { return LOYALTY_VERSION_STRING; }

}  // namespace loyalty
