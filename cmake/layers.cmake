# The layers and the libraries that make them.
include(${CMAKE_CURRENT_LIST_DIR}/layer_order.cmake)

# pipesplit_layer(NAME SOURCES... [LIBRARIES libs...]): the layer's library, linked to the layers it uses.
function(pipesplit_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBRARIES")
  add_library(pipesplit_${name} STATIC ${arg_SOURCES})
  target_include_directories(pipesplit_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  foreach(used ${PIPESPLIT_LAYER_USES_${name}})
    target_link_libraries(pipesplit_${name} PUBLIC pipesplit_${used})
  endforeach()
  target_link_libraries(pipesplit_${name} PUBLIC ${arg_LIBRARIES})
  add_dependencies(pipesplit_${name} pipesplit_layers)
endfunction()

# The check runs whenever a source changes, before any layer compiles.
file(GLOB_RECURSE pipesplit_layer_sources CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/*/*.cpp ${PROJECT_SOURCE_DIR}/*/*.hpp)
list(FILTER pipesplit_layer_sources EXCLUDE REGEX "^${PROJECT_BINARY_DIR}/")
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/layers.checked
                   COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
                   COMMAND ${CMAKE_COMMAND} -E touch ${PROJECT_BINARY_DIR}/layers.checked
                   DEPENDS ${pipesplit_layer_sources} ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
                           ${PROJECT_SOURCE_DIR}/cmake/layer_order.cmake
                   COMMENT "Checking that no layer includes a higher one")
add_custom_target(pipesplit_layers DEPENDS ${PROJECT_BINARY_DIR}/layers.checked)
