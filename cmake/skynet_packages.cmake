# Debian packages (cpack -G DEB; scripts/packages.sh builds them and runs
# lintian), one per install component:
#   libskynet0      (component "libraries"):   the shared libraries
#   libskynet-dev   (component "development"): headers, static libraries, .so
#                   links, the CMake package, pkg-config files
#   skynet          (component "binaries"):    skynet-broker, skyd, sky, bash
#                   completion, man pages, systemd units, /etc/skynet examples
#   python3-skynet  (component "python", when the build has it): the Python
#                   package, Architecture all
# Configure with -DCMAKE_INSTALL_PREFIX=/usr: the paths inside the packages
# (multiarch libdir, /etc) come from GNUInstallDirs for that prefix.
# Included last, once every install() rule is known.

set(SKYNET_PACKAGE_MAINTAINER "Skynet maintainers <maintainers@skynet.example>"
    CACHE STRING "Maintainer field of the Debian packages")
set(SKYNET_PACKAGE_HOMEPAGE "https://skynet.example/"
    CACHE STRING "Homepage field of the Debian packages")
set(SKYNET_DEBIAN_RELEASE 1)
set(SKYNET_DEBIAN_VERSION ${PROJECT_VERSION}-${SKYNET_DEBIAN_RELEASE})
set(skynet_packaging ${PROJECT_SOURCE_DIR}/packaging)
set(skynet_package_build ${PROJECT_BINARY_DIR}/packaging)

# Units where Debian 12's systemd and its dpkg trigger look for them.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(skynet_unit_dir /lib/systemd/system)
else()
    set(skynet_unit_dir lib/systemd/system)
endif()

# --- the tools package's own files ----------------------------------------

# A man page per binary, from its --help (help2man), compressed as Debian
# wants them. Built by the target skynet_man_pages (scripts/packages.sh
# builds it; `all` does not, so that a build needs no help2man).
set(skynet_man_pages)
set(skynet_man_summary_skynet-broker "Majordomo (7/MDP/0.1) service broker of Skynet")
set(skynet_man_summary_skyd "Skynet host daemon: runs, restarts and steers services")
set(skynet_man_summary_sky "command line of a Skynet cluster")
foreach(binary skynet-broker skyd sky)
    if(NOT TARGET ${binary})
        continue()
    endif()
    set(page ${skynet_package_build}/man/${binary}.1.gz)
    add_custom_command(OUTPUT ${page}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${skynet_package_build}/man
        COMMAND ${CMAKE_COMMAND} -E env SOURCE_DATE_EPOCH=1796630400
                help2man --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
                --name=${skynet_man_summary_${binary}} --section=1
                --output=${skynet_package_build}/man/${binary}.1 $<TARGET_FILE:${binary}>
        COMMAND gzip -9nf ${skynet_package_build}/man/${binary}.1
        DEPENDS ${binary}
        COMMENT "man page of ${binary} (help2man)"
        VERBATIM)
    list(APPEND skynet_man_pages ${page})
endforeach()
add_custom_target(skynet_man_pages DEPENDS ${skynet_man_pages})
install(FILES ${skynet_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT binaries)

install(FILES ${skynet_packaging}/systemd/skynet-broker@.service
              ${skynet_packaging}/systemd/skyd.service
              ${skynet_packaging}/systemd/skynet-service@.service
        DESTINATION ${skynet_unit_dir} COMPONENT binaries)
install(FILES ${skynet_packaging}/sysusers.conf DESTINATION lib/sysusers.d
        RENAME skynet.conf COMPONENT binaries)
set(skynet_conffiles broker-local.conf skyd.conf)
foreach(file IN LISTS skynet_conffiles)
    install(FILES ${skynet_packaging}/etc/${file}
            DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/skynet COMPONENT binaries)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/options.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/skynet COMPONENT binaries)

# What cpack needs built (scripts/packages.sh builds this target, not `all`).
set(skynet_package_targets skynet_man_pages ${skynet_install_targets})
foreach(binary skynet-broker skyd sky)
    if(TARGET ${binary})
        list(APPEND skynet_package_targets ${binary})
    endif()
endforeach()
add_custom_target(skynet_package_files DEPENDS ${skynet_package_targets})

# --- the packages ----------------------------------------------------------

get_cmake_property(skynet_components COMPONENTS)
set(skynet_packaged libraries development binaries)
if("python" IN_LIST skynet_components)
    list(APPEND skynet_packaged python)
endif()

set(skynet_package_name_libraries libskynet${PROJECT_VERSION_MAJOR})
set(skynet_package_name_development libskynet-dev)
set(skynet_package_name_binaries skynet)
set(skynet_package_name_python python3-skynet)

# Every package's /usr/share/doc/<package>: the copyright (our LICENSE) and
# the Debian changelog, gzip -n (no timestamp) as lintian expects.
configure_file(${skynet_packaging}/debian/changelog.in ${skynet_package_build}/changelog.Debian
               @ONLY)
execute_process(COMMAND gzip -9nf ${skynet_package_build}/changelog.Debian
                RESULT_VARIABLE skynet_gzip_status)
if(NOT skynet_gzip_status EQUAL 0)
    message(FATAL_ERROR "gzip of ${skynet_package_build}/changelog.Debian failed")
endif()
foreach(component IN LISTS skynet_packaged)
    set(doc ${CMAKE_INSTALL_DATADIR}/doc/${skynet_package_name_${component}})
    install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${doc} RENAME copyright
            COMPONENT ${component})
    install(FILES ${skynet_package_build}/changelog.Debian.gz DESTINATION ${doc}
            COMPONENT ${component})
endforeach()

# The conffiles of the tools package, and its postinst (the system user).
list(TRANSFORM skynet_conffiles PREPEND "${CMAKE_INSTALL_FULL_SYSCONFDIR}/skynet/"
     OUTPUT_VARIABLE skynet_conffile_paths)
list(JOIN skynet_conffile_paths "\n" skynet_conffile_text)
file(WRITE ${skynet_package_build}/conffiles "${skynet_conffile_text}\n")
configure_file(${skynet_packaging}/debian/skynet.postinst ${skynet_package_build}/postinst COPYONLY)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME skynet)
set(CPACK_PACKAGE_VENDOR "The Skynet C++ authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${SKYNET_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_COMPONENTS_ALL ${skynet_packaged})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${SKYNET_DEBIAN_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SKYNET_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${SKYNET_PACKAGE_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_SOURCE skynet)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends computed from what the binaries and libraries link (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

foreach(component IN LISTS skynet_packaged)
    string(TOUPPER ${component} upper)
    set(CPACK_DEBIAN_${upper}_PACKAGE_NAME ${skynet_package_name_${component}})
endforeach()

set(CPACK_DEBIAN_LIBRARIES_PACKAGE_SECTION libs)
# The shlibs file, for the Depends of programs linking the libraries, and
# the ldconfig trigger.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
file(WRITE ${skynet_package_build}/libraries/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_LIBRARIES_PACKAGE_CONTROL_EXTRA ${skynet_package_build}/libraries/triggers)
set(CPACK_COMPONENT_LIBRARIES_DESCRIPTION
    "C++ service bus over Majordomo brokers (shared libraries)
Skynet is a C++20 service bus: services and clients talk through Majordomo
(7/MDP) brokers and find each other in a Redis registry. This package holds
the shared libraries that programs built on Skynet link.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# The runtime package of this very version, and the -dev packages of what
# our public headers include and our CMake package and .pc files find.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "${skynet_package_name_libraries} (= ${SKYNET_DEBIAN_VERSION}), libzmq3-dev, cppzmq-dev, libbson-dev, libhiredis-dev, libboost-program-options-dev, libspdlog-dev, prometheus-cpp-dev, libsystemd-dev, nlohmann-json3-dev, pkg-config")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "C++ service bus over Majordomo brokers (development files)
Headers, static libraries, the CMake package (find_package(Skynet)) and the
pkg-config files for building services and clients on the Skynet service
bus.")

set(CPACK_DEBIAN_BINARIES_PACKAGE_SECTION net)
set(CPACK_DEBIAN_BINARIES_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_BINARIES_PACKAGE_SUGGESTS redis-server)
set(CPACK_DEBIAN_BINARIES_PACKAGE_CONTROL_EXTRA
    ${skynet_package_build}/conffiles ${skynet_package_build}/postinst)
set(CPACK_COMPONENT_BINARIES_DESCRIPTION
    "C++ service bus: broker, host daemon and command line
skynet-broker, the Majordomo (7/MDP) broker; skyd, the host daemon that runs,
restarts and steers services; sky, the command line of a cluster. With
systemd units (skynet-broker@, skyd, skynet-service@) that run them as the
skynet system user.")

set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "python3, python3-zmq, python3-bson, python3-redis")
set(CPACK_COMPONENT_PYTHON_DESCRIPTION
    "Python clients and services for the Skynet service bus
The skynet module for Python 3: clients and workers that speak 7/MDP to
Skynet's brokers and find them in its Redis registry.")

include(CPack)
