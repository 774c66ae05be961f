#!/bin/sh
# Install what pipesplit needs on Debian 12 (as root) and build it into build/. Safe to run again: apt skips what
# is installed and the build only redoes what changed.
set -eu
cd "$(dirname "$0")/.."

packages="cmake ninja-build g++ pkg-config libsimgrid-dev libboost-program-options-dev libyaml-cpp-dev libfmt-dev
nlohmann-json3-dev catch2 libssl-dev libboost-system-dev iproute2 libonnx-dev libprotobuf-dev protobuf-compiler
gnuplot-nox libdnnl-dev clang libclang-rt-14-dev help2man dpkg-dev slurmctld slurmd slurm-client munge ccache"
# ccache: a build already made (another clone, the sanitizer build's unchanged files) is not compiled again; paths
# under the repository are hashed relative to it (CCACHE_BASEDIR), so clones in other folders share the cache.
# help2man, dpkg-dev: the man page and the Debian package (cmake/install.cmake). slurmctld slurmd slurm-client munge:
# for the test of `sweep --slurm` against a real Slurm (tests/slurm/), which starts its own daemons in a temporary
# folder; the packages' system services are not used.
# Only to regenerate the PyTorch exports of tests/data/onnx (make_exports.py): ./scripts/setup.sh --exports
if [ "${1:-}" = "--exports" ]; then
  packages="$packages python3-torch python3-torchvision python3-onnx"
fi

missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends $missing
fi

export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
cmake --build build -j "$(nproc)"
