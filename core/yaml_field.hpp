#pragma once
// Reading YAML with messages that name the file, the field and the line (yaml-cpp marks are 0-based).

#include "core/error.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace pipesplit::core {

// A YAML node with the path of keys that led to it, so errors can say "scenario.yaml:12: field 'deployment.threads'".
class YamlField {
public:
  YamlField(YAML::Node node, std::string file, std::string path = "")
      : node_(std::move(node)), file_(std::move(file)), path_(std::move(path))
  {}

  static YamlField load_file(const std::string& path); // throws InputError on I/O or syntax errors

  bool has(const std::string& key) const;
  YamlField operator[](const std::string& key) const; // required key
  YamlField at(size_t index) const;
  size_t size() const;
  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  std::vector<std::string> keys() const;
  // A file's optional "format" key must name `tag` (the format and version the reader knows).
  void expect_format(const std::string& tag) const;
  // Reject keys not in `allowed`: a typo must not be silently ignored.
  void expect_keys(const std::vector<std::string>& allowed) const;

  std::string as_string() const;
  // A name or label: one line, no control characters (it goes into CSV rows, file names and figures).
  std::string as_line() const;
  double as_double() const;
  int64_t as_int() const;
  bool as_bool() const;
  std::vector<int64_t> as_int_list() const;
  std::vector<std::string> as_string_list() const;

  std::string where() const; // "file:line"
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  const YAML::Node& node() const { return node_; }
  [[noreturn]] void fail(const std::string& what) const;

private:
  YAML::Node node_;
  std::string file_;
  std::string path_;
};

} // namespace pipesplit::core
