# Flags for our own targets only: warnings are errors in our code, never in
# the headers of the Debian libraries we build against.
set(SKYNET_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Werror)

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

# skynet_target(<target>): our warning set on one of our targets.
function(skynet_target target)
    target_compile_options(${target} PRIVATE ${SKYNET_WARNINGS})
endfunction()

# skynet_library(<name> SOURCES ...): the library of one folder, as
# skynet::<name>, with its public headers under <folder>/include.
function(skynet_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
    add_library(skynet_${name} ${ARG_SOURCES})
    add_library(skynet::${name} ALIAS skynet_${name})
    target_include_directories(skynet_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                              PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(skynet_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    skynet_target(skynet_${name})
endfunction()
