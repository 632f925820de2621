# Installed beside loyaltyConfig.cmake: loyalty::readers links libnfc,
# found the way the build found it.
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)
if(NOT TARGET PkgConfig::LIBNFC)
  pkg_check_modules(LIBNFC REQUIRED IMPORTED_TARGET libnfc)
endif()
