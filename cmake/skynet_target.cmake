# Flags for our own targets only: warnings are errors in our code, never in
# the headers of the Debian libraries we build against.
set(SKYNET_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Werror)
if(SKYNET_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12's -Wmaybe-uninitialized misfires on libstdc++'s <regex> (its
    # std::function states) under -fsanitize=address; the warning still runs
    # in every other build, and ASan itself catches what it would.
    list(APPEND SKYNET_WARNINGS -Wno-maybe-uninitialized)
endif()

set(SKYNET_SANITIZER_FLAGS)
if(SKYNET_SANITIZE)
    set(SKYNET_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
elseif(SKYNET_TSAN)
    set(SKYNET_SANITIZER_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
endif()
if(SKYNET_FUZZ)
    # Coverage for libFuzzer in every library, with the sanitizers that turn
    # a silent bad read into a finding.
    list(APPEND SKYNET_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
    if(NOT SKYNET_SANITIZE AND NOT SKYNET_TSAN)
        list(APPEND SKYNET_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer)
    endif()
endif()
if(SKYNET_SANITIZER_FLAGS)
    add_compile_options(${SKYNET_SANITIZER_FLAGS})
    add_link_options(${SKYNET_SANITIZER_FLAGS})
endif()

# Position-independent code lets a call inside a library go through the PLT
# in case another library interposes it; ours never are, and this flag gives
# the static archives the inlining they had before they became PIC.
include(CheckCXXCompilerFlag)
check_cxx_compiler_flag(-fno-semantic-interposition SKYNET_HAS_NO_INTERPOSITION)

# skynet_target(<target>): our warning set on one of our targets.
function(skynet_target target)
    target_compile_options(${target} PRIVATE ${SKYNET_WARNINGS})
endfunction()

# skynet_library(<name> SOURCES ...): the library of one folder, as
# skynet::<name>, with its public headers under <folder>/include. Our own
# binaries and tests link this static archive. Its objects are position
# independent so that cmake/skynet_install.cmake can link the same objects
# into the shared library it installs beside the archive, without compiling
# anything twice.
function(skynet_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
    add_library(skynet_${name} STATIC ${ARG_SOURCES})
    add_library(skynet::${name} ALIAS skynet_${name})
    set_target_properties(skynet_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON
                                                    OUTPUT_NAME skynet_${name})
    target_include_directories(skynet_${name}
        PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
               $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
               $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
        PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(skynet_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    skynet_target(skynet_${name})
    if(SKYNET_HAS_NO_INTERPOSITION)
        target_compile_options(skynet_${name} PRIVATE -fno-semantic-interposition)
    endif()
endfunction()
