# Installing and packaging. `cmake --install build` (or the Debian package `cpack --config build/CPackConfig.cmake`
# builds) puts the binary in bin/, its SimGrid module in lib/pipesplit/, its man page and bash completion where man
# and bash look for them, and the shipped platforms, scenarios and sweeps under share/pipesplit/, where the scenarios
# find their platforms by the same relative paths as in the repository.
install(TARGETS pipesplit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The SimGrid module, where sim/simgrid_module.cpp looks for it relative to bin/.
install(TARGETS pipesplit_simgrid LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/pipesplit)
install(DIRECTORY platforms scenarios sweeps DESTINATION ${CMAKE_INSTALL_DATADIR}/pipesplit)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES cli/pipesplit.bash-completion DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME pipesplit)

# The man page, made by help2man from the commands' own --help (cmake/man_page.cmake), so it cannot drift from them.
# Not in the sanitizer and fuzzing builds, whose binaries are not for installing.
if(NOT PIPESPLIT_SANITIZE AND NOT PIPESPLIT_FUZZ)
  find_program(HELP2MAN help2man REQUIRED)
  set(man_page ${PROJECT_BINARY_DIR}/pipesplit.1)
  add_custom_command(OUTPUT ${man_page}
    COMMAND ${CMAKE_COMMAND} -DPIPESPLIT=$<TARGET_FILE:pipesplit> -DHELP2MAN=${HELP2MAN} -DOUTPUT=${man_page}
            -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    DEPENDS pipesplit ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    COMMENT "pipesplit man page (help2man)")
  add_custom_target(pipesplit_man ALL DEPENDS ${man_page})
  install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pipesplit)
set(CPACK_PACKAGE_VENDOR "pipesplit")
set(CPACK_PACKAGE_CONTACT "pipesplit developers <pipesplit-dev@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "simulator of partitioned, pipelined DNN inference across edge devices")
set(CPACK_PACKAGE_DESCRIPTION
    "pipesplit predicts, optimises and simulates (with SimGrid) DNN inference split into pipelined stages over \
several edge devices, and runs such pipelines for real to measure them.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # the libraries the binary links, found by dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gnuplot-nox | gnuplot, iproute2") # figures; the emulated testbed of trials
include(CPack)
