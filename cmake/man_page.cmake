# Writes the man page OUTPUT with help2man: the synopsis and description from `pipesplit --help` and `--version`, and
# a COMMANDS section holding every command's own --help. Run with -DPIPESPLIT, -DHELP2MAN and -DOUTPUT.

# Subcommands that `pipesplit --help` does not list (tests/cli/test_help.cpp checks the same ones).
set(subcommands "model import" "model profile" "sweep merge")

execute_process(COMMAND ${PIPESPLIT} --help OUTPUT_VARIABLE top RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "pipesplit --help failed")
endif()
string(REGEX MATCH "Commands:\n.*" listing "${top}")
string(REGEX MATCHALL "\n  [a-z]+" names "${listing}")
set(commands)
foreach(name ${names})
  string(STRIP "${name}" name)
  list(APPEND commands "${name}")
endforeach()
list(APPEND commands ${subcommands})

# roff: a backslash is written \e, and a line may not start with a dot or a quote.
set(section "[COMMANDS]\n")
foreach(command ${commands})
  separate_arguments(words UNIX_COMMAND "${command}")
  execute_process(COMMAND ${PIPESPLIT} ${words} --help OUTPUT_VARIABLE help RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "pipesplit ${command} --help failed")
  endif()
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND section ".SS \"pipesplit ${command}\"\n.nf\n${help}\n.fi\n")
endforeach()
file(WRITE ${OUTPUT}.include "${section}")
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=1
                        "--name=partitioned, pipelined DNN inference across edge devices" --include=${OUTPUT}.include
                        --output=${OUTPUT} ${PIPESPLIT}
                RESULT_VARIABLE failed)
file(REMOVE ${OUTPUT}.include)
if(failed)
  message(FATAL_ERROR "help2man failed")
endif()
