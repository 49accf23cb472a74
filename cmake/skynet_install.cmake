# What `cmake --install` puts where (GNUInstallDirs), included once every
# folder is added:
#   libraries   (component "libraries"):   libskynet_<name>.so.<version>
#   development (component "development"): headers, libskynet_<name>.a, the .so
#               link, the CMake package (find_package(Skynet)), pkg-config files
#   binaries    (component "binaries"):    skynet-broker, sky, skyd
#   bench       (component "bench"):       skynet-bench
# Each installed library is there twice, static and shared, from one set of
# objects: the static archive is the target our own binaries and tests link
# (skynet::<name>), the shared one is linked here from the archive's objects.
include(CMakePackageConfigHelpers)

# In dependency order. A library missing from this build (a folder not added,
# such as service/ on an older branch) is skipped.
set(SKYNET_INSTALLED_LIBRARIES bus runtime metrics registry security broker worker client service)

set(skynet_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Skynet)
set(skynet_pkgconfig_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# skynet::<name> or skynet_<name> -> skynet_<name>_shared; others unchanged.
function(skynet_shared_names out)
    set(names)
    foreach(dep IN LISTS ARGN)
        if(dep MATCHES "^::@")
            continue()  # CMake's marker for a link made from another directory
        endif()
        string(REGEX REPLACE "^skynet(::|_)([a-z_]+)$" "skynet_\\2_shared" dep "${dep}")
        list(APPEND names "${dep}")
    endforeach()
    set(${out} "${names}" PARENT_SCOPE)
endfunction()

# The archive's direct dependencies: those its users see (public) and the
# rest (private), read back from the target so that a folder's later
# target_link_libraries() is followed too.
function(skynet_library_deps static public_out private_out)
    get_target_property(interface ${static} INTERFACE_LINK_LIBRARIES)
    get_target_property(linked ${static} LINK_LIBRARIES)
    set(public)
    foreach(dep IN LISTS interface)
        if(dep AND NOT dep MATCHES "^\\$<LINK_ONLY:" AND NOT dep MATCHES "^::@")
            list(APPEND public "${dep}")
        endif()
    endforeach()
    set(private)
    foreach(dep IN LISTS linked)
        if(dep AND NOT dep IN_LIST public AND NOT dep MATCHES "^::@")
            list(APPEND private "${dep}")
        endif()
    endforeach()
    set(${public_out} "${public}" PARENT_SCOPE)
    set(${private_out} "${private}" PARENT_SCOPE)
endfunction()

# skynet_<name>_shared: libskynet_<name>.so.<version>, SONAME from the major
# version, from the objects of skynet_<name>, linked to the shared versions
# of our other libraries.
function(skynet_shared_library name)
    set(static skynet_${name})
    set(shared skynet_${name}_shared)
    add_library(${shared} SHARED $<TARGET_OBJECTS:${static}>)
    skynet_library_deps(${static} public private)
    skynet_shared_names(public ${public})
    skynet_shared_names(private ${private})
    target_link_libraries(${shared} PUBLIC ${public} PRIVATE ${private})
    get_target_property(includes ${static} INTERFACE_INCLUDE_DIRECTORIES)
    set_target_properties(${shared} PROPERTIES
        INTERFACE_INCLUDE_DIRECTORIES "${includes}"
        OUTPUT_NAME skynet_${name}
        VERSION ${PROJECT_VERSION}
        SOVERSION ${PROJECT_VERSION_MAJOR}
        EXPORT_NAME ${name}_shared
        # Our libraries find each other beside themselves once installed.
        INSTALL_RPATH "$ORIGIN")
    if(NOT SKYNET_SANITIZER_FLAGS)
        # Every symbol resolved at link time: a dependency missing from the
        # list above fails here, not in a user's program. (A sanitizer's
        # runtime is resolved by the final executable instead.)
        target_link_options(${shared} PRIVATE -Wl,--no-undefined)
    endif()
endfunction()

# pkg-config names and flags of the dependencies our libraries link to.
function(skynet_pkg_config_names out_requires out_libs)
    set(requires)
    set(libs)
    foreach(dep IN LISTS ARGN)
        if(dep MATCHES "^skynet(::|_)([a-z_]+)$")
            list(APPEND requires "skynet-${CMAKE_MATCH_2}")
        elseif(dep STREQUAL "PkgConfig::ZMQ")
            list(APPEND requires libzmq)
        elseif(dep STREQUAL "PkgConfig::BSON")
            list(APPEND requires libbson-1.0)
        elseif(dep STREQUAL "PkgConfig::HIREDIS")
            list(APPEND requires hiredis)
        elseif(dep STREQUAL "PkgConfig::SYSTEMD")
            list(APPEND requires libsystemd)
        elseif(dep MATCHES "^prometheus-cpp::(core|pull)$")
            list(APPEND requires prometheus-cpp-${CMAKE_MATCH_1})
        elseif(dep STREQUAL "spdlog::spdlog")
            list(APPEND requires spdlog)
        elseif(dep STREQUAL "Boost::program_options")
            list(APPEND libs -lboost_program_options)
        elseif(dep STREQUAL "Threads::Threads")
            list(APPEND libs -pthread)
        else()
            message(AUTHOR_WARNING "skynet-*.pc: no pkg-config name for ${dep}: add one here")
        endif()
    endforeach()
    list(REMOVE_DUPLICATES requires)
    list(REMOVE_DUPLICATES libs)
    list(JOIN requires ", " requires)
    list(JOIN libs " " libs)
    set(${out_requires} "${requires}" PARENT_SCOPE)
    set(${out_libs} "${libs}" PARENT_SCOPE)
endfunction()

# skynet-<name>.pc; its prefix is found from where the file lies, so an
# install moved elsewhere (or made with --prefix) still holds together.
function(skynet_pkg_config name)
    skynet_library_deps(skynet_${name} public private)
    skynet_pkg_config_names(SKYNET_PC_REQUIRES SKYNET_PC_LIBS ${public})
    skynet_pkg_config_names(SKYNET_PC_REQUIRES_PRIVATE SKYNET_PC_LIBS_PRIVATE ${private})
    set(SKYNET_PC_NAME ${name})
    configure_file(${PROJECT_SOURCE_DIR}/cmake/templates/skynet-library.pc.in
                   ${PROJECT_BINARY_DIR}/pkgconfig/skynet-${name}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/skynet-${name}.pc
            DESTINATION ${skynet_pkgconfig_dir} COMPONENT development)
endfunction()

file(RELATIVE_PATH SKYNET_PC_PREFIX_FROM_PCFILEDIR
     ${CMAKE_INSTALL_PREFIX}/${skynet_pkgconfig_dir} ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" SKYNET_PC_PREFIX_FROM_PCFILEDIR "${SKYNET_PC_PREFIX_FROM_PCFILEDIR}")

set(skynet_installed)
set(skynet_install_targets)
foreach(name IN LISTS SKYNET_INSTALLED_LIBRARIES)
    if(NOT TARGET skynet_${name})
        continue()
    endif()
    list(APPEND skynet_installed ${name})
    set_target_properties(skynet_${name} PROPERTIES EXPORT_NAME ${name}_static)
    list(APPEND skynet_install_targets skynet_${name})
    if(SKYNET_SHARED_LIBS)
        skynet_shared_library(${name})
        list(APPEND skynet_install_targets skynet_${name}_shared)
    endif()
    get_target_property(folder skynet_${name} SOURCE_DIR)
    install(DIRECTORY ${folder}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
            COMPONENT development FILES_MATCHING PATTERN "*.hpp")
    skynet_pkg_config(${name})
endforeach()

install(TARGETS ${skynet_install_targets} EXPORT SkynetTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libraries
            NAMELINK_COMPONENT development)
install(FILES ${PROJECT_BINARY_DIR}/include/skynet/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/skynet COMPONENT development)
install(EXPORT SkynetTargets NAMESPACE Skynet:: DESTINATION ${skynet_package_dir}
        COMPONENT development)

# skynet.pc: every installed library at once, users before what they use
# (the order a static link needs).
list(TRANSFORM skynet_installed PREPEND "skynet-" OUTPUT_VARIABLE SKYNET_PC_REQUIRES)
list(REVERSE SKYNET_PC_REQUIRES)
list(JOIN SKYNET_PC_REQUIRES ", " SKYNET_PC_REQUIRES)
configure_file(${PROJECT_SOURCE_DIR}/cmake/templates/skynet.pc.in
               ${PROJECT_BINARY_DIR}/pkgconfig/skynet.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/skynet.pc DESTINATION ${skynet_pkgconfig_dir}
        COMPONENT development)

set(SKYNET_PACKAGE_LIBRARIES ${skynet_installed})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/templates/SkynetConfig.cmake.in
    ${PROJECT_BINARY_DIR}/package/SkynetConfig.cmake INSTALL_DESTINATION ${skynet_package_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/SkynetConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/SkynetConfig.cmake
              ${PROJECT_BINARY_DIR}/package/SkynetConfigVersion.cmake
        DESTINATION ${skynet_package_dir} COMPONENT development)

foreach(binary skynet-broker sky skyd)
    if(TARGET ${binary})
        install(TARGETS ${binary} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT binaries)
    endif()
endforeach()
# A component of its own: the Debian packages (cmake/skynet_packages.cmake)
# leave the benchmark out.
if(TARGET skynet-bench)
    install(TARGETS skynet-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bench)
endif()
if(TARGET sky)
    install(FILES ${PROJECT_SOURCE_DIR}/sky/sky-completion.bash
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME sky
            COMPONENT binaries)
endif()

# tests/install copies what is installed: it must be built before that test.
if(TARGET install_tests)
    add_dependencies(install_tests ${skynet_install_targets} skynet-broker)
endif()
