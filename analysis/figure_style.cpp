#include "analysis/figure_style.hpp"
#include "analysis/gnuplot.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <cctype>

namespace pipesplit::analysis {

namespace {

constexpr double png_dpi = 200;
// pngcairo and svg read font sizes and line widths at 96 per inch, pdfcairo at 72 (points).
constexpr double screen_dpi = 96;

bool has_suffix(const std::string& text, const std::string& suffix)
{
  return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Fonts, lines and points scale with the picture's resolution (fontscale, linewidth, pointscale), so that texts
// a script sizes itself (`font ',6'`) keep their size relative to the figure in every format.
std::string terminal(const std::string& format, const FigureGeometry& g)
{
  const double w = g.width_in(), h = g.height_in(), pt = g.font_pt();
  if (format == "pdf")
    return fmt::format("set terminal pdfcairo noenhanced size {:.3f}in,{:.3f}in font 'sans,{:g}' linewidth 1", w, h,
                       pt);
  const double scale = format == "png" ? png_dpi / screen_dpi : screen_dpi / 72;
  const double dpi   = format == "png" ? png_dpi : screen_dpi;
  return fmt::format("set terminal {} noenhanced size {:.0f},{:.0f} font 'sans,{:g}' fontscale {:.4g} linewidth "
                     "{:.4g}{}",
                     format == "png" ? "pngcairo" : "svg", w * dpi, h * dpi, pt, scale, scale,
                     format == "png" ? fmt::format(" pointscale {:.4g}", scale) : "");
}

} // namespace

FigureSize parse_figure_size(const std::string& text, const std::string& option)
{
  if (text == "page")
    return FigureSize::Page;
  if (text == "column")
    return FigureSize::Column;
  throw InputError("command line", option, fmt::format("'{}' is not a figure size: column or page", text));
}

FigureTarget FigureTarget::of(const std::string& path)
{
  for (const std::string format : {"pdf", "png", "svg"})
    if (has_suffix(path, "." + format))
      return {path.substr(0, path.size() - format.size() - 1), {format}};
  return {path, {"pdf", "png", "svg"}};
}

std::vector<std::string> FigureTarget::files() const
{
  std::vector<std::string> out;
  for (const auto& format : formats)
    out.push_back(stem + "." + format);
  return out;
}

FigureTarget FigureTarget::with_suffix(const std::string& suffix) const
{
  return {stem + suffix, formats};
}

double FigureGeometry::width_in() const
{
  return size == FigureSize::Column ? 3.4 : 7.0;
}

double FigureGeometry::height_in() const
{
  return width_in() * aspect + extra_height;
}

double FigureGeometry::font_pt() const
{
  return size == FigureSize::Column ? 8 : 9;
}

std::string render_script(const FigureTarget& target, const FigureGeometry& geometry, const std::string& plot_command)
{
  std::string script;
  for (const auto& format : target.formats)
    script += fmt::format("{}\nset output {}\n{}\nunset output\n", terminal(format, geometry),
                          gnuplot_output(target.stem + "." + format), plot_command);
  return script;
}

std::string viridis_palette()
{
  static const char* const points[] = {"#440154", "#482878", "#3e4989", "#31688e", "#26828e",
                                       "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"};
  std::string defined;
  for (size_t i = 0; i < std::size(points); ++i)
    defined += fmt::format("{}{} '{}'", i ? ", " : "", i, points[i]);
  return "set palette defined (" + defined + ")\n";
}

const std::vector<std::string>& okabe_ito()
{
  // Okabe & Ito (2008), "Color Universal Design": blue, vermillion, bluish green, reddish purple, orange, sky blue,
  // black, yellow.
  static const std::vector<std::string> colours{"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return colours;
}

std::string okabe_ito_colour(size_t index)
{
  return "rgb '" + okabe_ito()[index % okabe_ito().size()] + "'";
}

std::string file_name_part(const std::string& text)
{
  std::string out = text;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '+' && c != '-')
      c = '_';
  return out;
}

} // namespace pipesplit::analysis
