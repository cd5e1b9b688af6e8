# qgen_add_layer(<layer> SOURCES ... [DEPENDS ...] [PRIVATE_DEPENDS ...])
#
# One static library per layer (DESIGN.md), qgen_<layer>, linking only the layers below it.
# Its public include directory holds its own headers and nothing else: the build tree gets
# layers/<layer>/qgen/<layer> as a link to include/qgen/<layer>, and layers/<layer> is the
# one folder the library exports. A layer therefore sees the headers of the layers it links
# (transitively) and no others: an #include of a higher layer's header fails to compile,
# in a header as well as in a source file (tests/layering checks that it does).
function(qgen_add_layer layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  set(root ${PROJECT_BINARY_DIR}/layers/${layer})
  file(MAKE_DIRECTORY ${root}/qgen)
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/qgen/${layer} ${root}/qgen/${layer} SYMBOLIC)
  add_library(qgen_${layer} STATIC ${ARG_SOURCES})
  target_include_directories(qgen_${layer} PUBLIC ${root})
  target_link_libraries(qgen_${layer} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE_DEPENDS})
endfunction()
