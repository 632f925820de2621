# Installs the public headers, the libraries, a CMake package and a
# pkg-config file, so vendors can find_package(loyalty) or pkg-config it.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/loyalty
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/loyalty/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/loyalty)
install(TARGETS loyalty loyalty_shared EXPORT loyaltyTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT loyaltyTargets NAMESPACE loyalty::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/loyalty)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/loyaltyConfig.cmake.in
  ${PROJECT_BINARY_DIR}/loyaltyConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/loyalty)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/loyaltyConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/loyaltyConfig.cmake
              ${PROJECT_BINARY_DIR}/loyaltyConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/loyalty)

# pkg-config files find their prefix from where they are installed, so a
# package unpacked anywhere (or a DESTDIR) still points at itself.
file(RELATIVE_PATH LOYALTY_PC_UP
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
set(LOYALTY_PC_PREFIX "\${pcfiledir}/${LOYALTY_PC_UP}")
# loyalty-c.pc: the C ABI (loyalty.h) through libloyalty.so.
file(WRITE ${PROJECT_BINARY_DIR}/loyalty-c.pc
"prefix=${LOYALTY_PC_PREFIX}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}

Name: loyalty-c
Description: ${PROJECT_DESCRIPTION} (C ABI, shared library)
Version: ${PROJECT_VERSION}
Libs: -L\${libdir} -lloyalty
Cflags: -I\${includedir}
")
install(FILES ${PROJECT_BINARY_DIR}/loyalty-c.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
configure_file(${PROJECT_SOURCE_DIR}/cmake/loyalty.pc.in
               ${PROJECT_BINARY_DIR}/loyalty.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/loyalty.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
