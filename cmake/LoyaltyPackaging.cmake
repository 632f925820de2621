# `cpack -G DEB` in the build folder makes a Debian package of the library:
# libloyalty.a (C++ and C ABI), libloyalty.so (C ABI only) and its card
# readers libloyalty_readers.so (loaded on demand), the headers,
# the CMake package and the pkg-config files (everything LoyaltyInstall.cmake
# installs), under /usr.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libloyalty-dev)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "libloyalty")
set(CPACK_PACKAGE_CONTACT "libloyalty maintainers <dev@libloyalty.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Runs a customer loyalty program on the checkout terminal: a C++20 static\n"
    "library with a plain C ABI (loyalty.h), also as libloyalty.so for C#, Java,\n"
    "Delphi and Python through their foreign-function interfaces.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# What a program linking the static library (or building against the
# CMake package) needs; the shared library's own needs come from shlibdeps.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libsqlite3-dev, libssl-dev (>= 3), libhowardhinnant-date-dev, pkg-config")
find_program(LOYALTY_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(LOYALTY_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
include(CPack)
