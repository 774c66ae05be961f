#pragma once
// Pictures through gnuplot (Debian's gnuplot-nox: pngcairo and svg terminals). pipesplit writes the data and the
// script next to the picture, so a user can restyle it and run gnuplot again.

#include "analysis/layer.hpp"
#include <string>

namespace pipesplit::analysis {

// Run `script` (a gnuplot script file). Throws std::runtime_error with gnuplot's complaint if it fails.
void run_gnuplot(const std::string& script);

// Quote a string for a gnuplot script.
std::string gnuplot_string(const std::string& text);

} // namespace pipesplit::analysis
