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
  else()
    # A folder whose first sources arrive with a later issue still declares its
    # place in the dependency graph.
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE "${root}")
    target_link_libraries(${target} INTERFACE ${ARG_DEPENDS})
  endif()
  add_library(certmill::${folder} ALIAS ${target})
endfunction()
