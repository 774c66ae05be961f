#!/bin/bash
# The bash completion (cli/pipesplit.bash-completion) with the built binary: commands, subcommands, a command's
# options, and file names elsewhere. Usage: completion_test.sh BUILD_DIR SOURCE_DIR
set -eu
PATH="$1:$PATH"
source "$2/cli/pipesplit.bash-completion"
complete_words() { # the words of a command line, the last one being completed
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _pipesplit
  echo "${COMPREPLY[*]}"
}
expect() { # expect WORD OUTPUT
  case " $2 " in *" $1 "*) ;; *) echo "FAIL: '$1' not in completions '$2'"; exit 1 ;; esac
}
expect run "$(complete_words pipesplit r)"
expect --version "$(complete_words pipesplit --v)"
expect import "$(complete_words pipesplit model i)"
expect merge "$(complete_words pipesplit sweep m)"
expect --out "$(complete_words pipesplit run x.yaml --o)"
expect --placement "$(complete_words pipesplit simulate --p)"
expect --measured "$(complete_words pipesplit model profile --m)"
expect --output "$(complete_words pipesplit sweep merge --o)"
cd "$2"
expect scenarios "$(complete_words pipesplit run scen)"
echo "ok"
