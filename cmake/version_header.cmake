# Writes core/version.hpp (from core/version.hpp.in) with the git revision of the checkout as it is when the build
# runs, not when it was configured; the file is only replaced when its text changes, so nothing recompiles for
# nothing. Run by the target pipesplit_version (core/CMakeLists.txt) with -DSOURCE_DIR, -DINPUT, -DOUTPUT and
# -DPROJECT_VERSION.
execute_process(COMMAND git -C ${SOURCE_DIR} describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE PIPESPLIT_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT PIPESPLIT_GIT_REVISION)
  set(PIPESPLIT_GIT_REVISION unknown) # a release tarball, or no git
endif()
configure_file(${INPUT} ${OUTPUT}.new @ONLY)
file(COPY_FILE ${OUTPUT}.new ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.new)
