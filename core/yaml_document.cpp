#include "core/yaml_document.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <map>
#include <sstream>
#include <vector>

namespace pipesplit::core {

namespace {

// Checks the parser's event stream before yaml-cpp builds the node tree (which keeps the last of duplicate keys,
// and shares aliased nodes so that readers walking it would expand them).
class DocumentChecker : public YAML::EventHandler {
public:
  explicit DocumentChecker(std::string file) : file_(std::move(file)) {}

  // pipesplit files are one document: YAML::Load would read the first and drop the others without a word (and on some
  // malformed inputs yaml-cpp 0.7 reports empty documents without end).
  void OnDocumentStart(const YAML::Mark& mark) override
  {
    if (++documents_ > 1)
      fail(mark, "holds a second YAML document (a '---' or '...' line, or a line yaml-cpp cannot read): a pipesplit file is one document");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override
  {
    if (expecting_key())
      fail(mark, "a key is empty (null); write it as a quoted string if it is meant");
    leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override
  {
    if (expecting_key())
      fail(mark, "an alias used as a key is not supported");
    count(mark, sizes_[anchor]);
    value_done();
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override
  {
    if (expecting_key()) {
      auto& keys                   = open_.back().keys;
      const auto [first, inserted] = keys.emplace(value, mark.line + 1);
      if (!inserted)
        fail(mark, fmt::format("duplicate key '{}' (first at line {})", value, first->second));
    }
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override
  {
    start(mark, anchor, false);
  }
  void OnSequenceEnd() override { end(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
  {
    start(mark, anchor, true);
  }
  void OnMapEnd() override { end(); }

private:
  struct Open {
    bool is_map;
    bool expecting_key;
    YAML::anchor_t anchor;
    size_t values_before; // values counted when it opened, for its anchor's size
    std::map<std::string, int> keys{};
  };

  bool expecting_key() const { return !open_.empty() && open_.back().is_map && open_.back().expecting_key; }

  // A scalar or null: one value; a map alternates keys and values.
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor)
  {
    count(mark, 1);
    if (anchor)
      sizes_[anchor] = 1;
    value_done();
  }
  void start(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map)
  {
    if (expecting_key())
      fail(mark, "a list or mapping used as a key is not supported");
    count(mark, 1);
    open_.push_back({is_map, true, anchor, values_ - 1});
  }
  void end()
  {
    const Open closed = open_.back();
    open_.pop_back();
    if (closed.anchor)
      sizes_[closed.anchor] = values_ - closed.values_before;
    value_done();
  }
  void value_done()
  {
    if (!open_.empty() && open_.back().is_map)
      open_.back().expecting_key = !open_.back().expecting_key;
  }
  void count(const YAML::Mark& mark, size_t values)
  {
    values_ += values;
    if (values_ > max_yaml_values)
      fail(mark, fmt::format("holds more than {} values once its aliases are expanded; write the values out or "
                             "use fewer aliases",
                             max_yaml_values));
  }
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& what) const
  {
    throw InputError(fmt::format("{}:{}", file_, mark.line + 1), "", what);
  }

  std::string file_;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, size_t> sizes_; // values an alias of each anchor stands for
  size_t values_    = 0;
  size_t documents_ = 0;
};

} // namespace

YAML::Node load_yaml_document(const std::string& text, const std::string& file)
{
  try {
    std::istringstream checked_stream(text);
    YAML::Parser parser(checked_stream);
    DocumentChecker checker(file);
    while (parser.HandleNextDocument(checker)) {
    }
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(fmt::format("{}:{}", file, e.mark.line + 1), "", "malformed YAML: " + e.msg);
  }
}

} // namespace pipesplit::core
