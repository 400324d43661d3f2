# certmill_module(NAME folder SOURCES ... DEPENDS ...)
#
# Declares the library target `certmill_<folder>`. Each target sees the headers
# of exactly the folders it links: its include root is a private directory in
# the build tree that holds one symbolic link, `<folder>` -> the source folder.
# So `#include "k8s/..."` from reactor/ does not compile, because
# certmill_reactor does not link certmill_k8s. tests/layering.sh checks the
# same rule on the sources.
function(certmill_module folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  set(target certmill_${folder})
  set(root "${CMAKE_BINARY_DIR}/include-roots/${folder}")
  file(MAKE_DIRECTORY "${root}")
  file(CREATE_LINK "${CMAKE_SOURCE_DIR}/${folder}" "${root}/${folder}" SYMBOLIC)
  if(ARG_SOURCES)
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC "${root}")
    target_link_libraries(${target} PUBLIC ${ARG_DEPENDS})
    # core/ has no Asio (tests/layering.sh); every folder above it may.
    if(folder STREQUAL "core")
      certmill_precompile(${target})
    else()
      certmill_precompile(${target} ASIO)
    endif()
  else()
    # A folder whose first sources arrive with a later issue still declares its
    # place in the dependency graph.
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE "${root}")
    target_link_libraries(${target} INTERFACE ${ARG_DEPENDS})
  endif()
  add_library(certmill::${folder} ALIAS ${target})
endfunction()

# certmill_precompile(TARGET [ASIO] [CATCH])
#
# Precompiles the headers that nearly every translation unit of the target
# parses again otherwise: the standard library's containers and, with ASIO,
# Asio's coroutine headers (with JSON, Boost.JSON; with CATCH, Catch2's single
# header). Parsing them
# is most of a compile; a clean build and the sanitizer build compile every
# file, and CI runs both on two cores. -DCERTMILL_PCH=OFF builds without.
option(CERTMILL_PCH "Precompile the common headers of each target" ON)
function(certmill_precompile target)
  if(NOT CERTMILL_PCH)
    return()
  endif()
  cmake_parse_arguments(ARG "ASIO;JSON;CATCH" "" "" ${ARGN})
  set(headers <string> <vector> <map> <unordered_map> <optional> <variant> <chrono>
              <functional> <memory>)
  if(ARG_ASIO)
    list(APPEND headers <boost/asio/awaitable.hpp> <boost/asio/co_spawn.hpp>
                        <boost/asio/steady_timer.hpp> <boost/asio/any_io_executor.hpp>)
  endif()
  if(ARG_JSON)
    list(APPEND headers <boost/json.hpp>)
  endif()
  if(ARG_CATCH)
    list(APPEND headers <catch2/catch.hpp>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
