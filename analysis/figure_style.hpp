#pragma once
// How pipesplit's figures look and where they go, shared by every picture (sweeps, timelines, validation,
// comparisons), so that a figure goes into a paper without editing:
//  - formats: an output name's extension chooses the format (.pdf through pdfcairo, .png through pngcairo, .svg);
//    a name without one of these extensions is a stem and gets all three;
//  - sizes: `page` (7 in wide, 9 pt text: the default) and `column` (3.4 in wide, 8 pt text); the PNG is the same
//    picture at 200 pixels per inch, so text keeps its size relative to the figure in every format;
//  - colours: viridis for sequential scales (heatmaps, many ordered curves), Okabe-Ito for categories (curves, bars),
//    both readable with the common colour-vision deficiencies.
// Every text from an input reaches a script through gnuplot_string() (analysis/gnuplot.hpp).

#include "analysis/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

enum class FigureSize { Page, Column };

// "page" or "column"; throws InputError naming `option` otherwise.
FigureSize parse_figure_size(const std::string& text, const std::string& option = "--size");

// Where a figure goes: `path` ending in .pdf, .png or .svg writes that file only; any other `path` is a stem
// (PATH.pdf, PATH.png, PATH.svg). `stem` is the path without the chosen extension (data and script go beside it).
struct FigureTarget {
  std::string stem;
  std::vector<std::string> formats; // in writing order: "pdf", "png", "svg"

  static FigureTarget of(const std::string& path);
  std::vector<std::string> files() const; // stem + "." + format, in order
  // The same target with `suffix` added to the stem (one figure per hidden-axis combination).
  FigureTarget with_suffix(const std::string& suffix) const;
};

struct FigureGeometry {
  FigureSize size     = FigureSize::Page;
  double aspect       = 0.7; // height / width
  double extra_height = 0;   // inches added to the height (one timeline lane each, for example)
  double width_in() const;
  double height_in() const;
  double font_pt() const; // 9 pt on a page, 8 pt in a column
};

// The script's tail: for every format, its terminal (size, font, line width), its output and `plot_command` (which
// may be a whole multiplot), repeated per format.
std::string render_script(const FigureTarget& target, const FigureGeometry& geometry, const std::string& plot_command);

// `set palette defined (...)`: viridis by its ten published control points (matplotlib's, equally spaced).
std::string viridis_palette();

// The Okabe-Ito colours in the order curves use them (black and yellow last: yellow is faint on white).
const std::vector<std::string>& okabe_ito();
// Colour `index` (cycling) as a gnuplot colour spec: rgb '#rrggbb'.
std::string okabe_ito_colour(size_t index);

// `text` with every character outside [A-Za-z0-9.+-] replaced by '_' (a file name's part from an axis value).
std::string file_name_part(const std::string& text);

} // namespace pipesplit::analysis
