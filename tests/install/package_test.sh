#!/bin/sh
# The Debian package of this build: made by CPack, then its files extracted (dpkg-deb -x: nothing is installed on the
# machine) and the extracted pipesplit run as a user would, from the extracted files only: --version, the man page,
# the bash completion, and a shipped scenario from share/pipesplit. .ci/run installs the package for real.
# Usage: package_test.sh BUILD_DIR
set -eu
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build/CPackConfig.cmake" -B "$work/package" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/package/pipesplit_*.deb)
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
depends=$(dpkg-deb -f "$deb" Depends)
echo "depends: $depends"
for library in libsimgrid libyaml-cpp libboost-program-options gnuplot; do
  case "$depends" in *"$library"*) ;; *) echo "FAIL: the package does not depend on $library"; exit 1 ;; esac
done
dpkg-deb -x "$deb" "$work/root"
usr="$work/root/usr"
test -s "$usr/lib/pipesplit/libpipesplit_simgrid.so" || { echo "FAIL: no SimGrid module in lib/pipesplit"; exit 1; }
"$usr/bin/pipesplit" --version
test -s "$usr/share/man/man1/pipesplit.1.gz" || test -s "$usr/share/man/man1/pipesplit.1" || { echo "FAIL: no man page"; exit 1; }
test -s "$usr/share/bash-completion/completions/pipesplit" || { echo "FAIL: no bash completion"; exit 1; }
"$usr/bin/pipesplit" run "$usr/share/pipesplit/scenarios/resnet18_pi4_ethernet.yaml" --out "$work/out" > "$work/run.log"
grep "speed-up" "$work/run.log" || { cat "$work/run.log"; echo "FAIL: no speed-up in the run's output"; exit 1; }
test -s "$work/out/report.md" && test -s "$work/out/result.json" || { echo "FAIL: the run wrote no report"; exit 1; }
# Without its SimGrid module (a broken installation): one line naming the module, exit status 1, never a crash.
rm "$usr/lib/pipesplit/libpipesplit_simgrid.so"
for command in --version "solve $usr/share/pipesplit/platforms/../scenarios/resnet18_pi4_ethernet.yaml"; do
  status=0
  XDG_CACHE_HOME="$work/empty_cache" "$usr/bin/pipesplit" $command > "$work/broken.log" 2>&1 || status=$?
  grep -q "cannot load pipesplit's SimGrid module: .*libpipesplit_simgrid.so" "$work/broken.log" && test "$status" = 1 ||
    { cat "$work/broken.log"; echo "FAIL: pipesplit $command without its module exited with $status"; exit 1; }
done
echo "ok: the packaged pipesplit runs a shipped scenario from its installed files"
