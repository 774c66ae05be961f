#pragma once
// Pictures through gnuplot (Debian's gnuplot-nox: pngcairo, svg and pdfcairo terminals). pipesplit writes the data
// and the script next to the picture, so a user can restyle it and run gnuplot again.
//
// Inputs are data, never code: gnuplot is started without a shell (its script's path is an argument), and every
// text that comes from an input file or the command line (names, titles, paths) enters a script through
// gnuplot_string(), as a single-quoted string: gnuplot expands neither back-quotes (commands) nor @macros there, and
// control characters, which could end the string's line and start a command, are replaced.

#include "analysis/layer.hpp"

#include <string>

namespace pipesplit::analysis {

// Run the gnuplot script file `script`. Throws std::runtime_error with gnuplot's complaint if it fails.
void run_gnuplot(const std::string& script);

// `text` as a gnuplot string literal that gnuplot reads as data: single-quoted, quotes doubled, control characters
// (newlines included) replaced by spaces.
std::string gnuplot_string(const std::string& text);

// The `set output` argument for a picture at `path`: a symbolic link planted there is removed first, so gnuplot
// writes a new file instead of writing through the link.
std::string gnuplot_output(const std::string& path);

// `text` as one column of a gnuplot data file (which gnuplot reads, never evaluates): double-quoted, inner double
// quotes and control characters replaced, so it stays one column on one line.
std::string gnuplot_data_string(const std::string& text);

} // namespace pipesplit::analysis
