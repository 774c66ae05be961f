#include "core/yaml_field.hpp"
#include "core/input_file.hpp"
#include "core/units.hpp"
#include "core/yaml_document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pipesplit::core {

YamlField YamlField::load_file(const std::string& path)
{
  return YamlField(load_yaml_document(read_input_file(path), path), path);
}

std::string YamlField::where() const
{
  const auto mark = node_.Mark();
  if (mark.is_null())
    return file_;
  return fmt::format("{}:{}", file_, mark.line + 1);
}

void YamlField::fail(const std::string& what) const
{
  throw InputError(where(), path_, what);
}

bool YamlField::has(const std::string& key) const
{
  return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

YamlField YamlField::operator[](const std::string& key) const
{
  const std::string child = path_.empty() ? key : path_ + "." + key;
  if (!node_.IsMap())
    fail("expected a mapping with key '" + key + "'");
  if (!has(key))
    throw InputError(where(), child, "missing");
  return YamlField(node_[key], file_, child);
}

YamlField YamlField::at(size_t index) const
{
  return YamlField(node_[index], file_, fmt::format("{}[{}]", path_, index));
}

size_t YamlField::size() const
{
  if (!node_.IsSequence())
    fail("expected a list");
  return node_.size();
}

std::vector<std::string> YamlField::keys() const
{
  std::vector<std::string> out;
  if (!node_.IsMap())
    fail("expected a mapping");
  for (const auto& item : node_)
    out.push_back(item.first.as<std::string>());
  return out;
}

void YamlField::expect_keys(const std::vector<std::string>& allowed) const
{
  for (const auto& key : keys())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
      YamlField(node_[key], file_, path_.empty() ? key : path_ + "." + key)
          .fail(fmt::format("unknown key (expected one of: {})", list));
    }
}

void YamlField::expect_format(const std::string& tag) const
{
  if (has("format") && (*this)["format"].as_string() != tag)
    (*this)["format"].fail(fmt::format("unsupported format '{}', expected '{}'", (*this)["format"].as_string(), tag));
}

std::string YamlField::as_string() const
{
  if (!node_.IsScalar())
    fail("expected a single value");
  return node_.Scalar();
}

std::string YamlField::as_line() const
{
  const std::string text = as_string();
  const auto control =
      std::find_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (control != text.end())
    fail(fmt::format("a name must be one line without control characters: '{}' is followed by code {}",
                     std::string(text.begin(), control), static_cast<int>(*control)));
  return text;
}

double YamlField::as_double() const
{
  const std::string text = as_string();
  if (const auto value = parse_number(text))
    return *value;
  fail(fmt::format("expected a number, got '{}'", text));
}

int64_t YamlField::as_int() const
{
  const std::string text = as_string();
  try {
    size_t used         = 0;
    const int64_t value = std::stoll(text, &used);
    if (used == text.size())
      return value;
  } catch (const std::exception&) {
  }
  fail(fmt::format("expected an integer, got '{}'", text));
}

bool YamlField::as_bool() const
{
  const std::string text = as_string();
  if (text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "false" || text == "no" || text == "off")
    return false;
  fail(fmt::format("expected true or false, got '{}'", text));
}

std::vector<int64_t> YamlField::as_int_list() const
{
  std::vector<int64_t> out;
  for (size_t i = 0; i < size(); ++i)
    out.push_back(at(i).as_int());
  return out;
}

std::vector<std::string> YamlField::as_string_list() const
{
  std::vector<std::string> out;
  for (size_t i = 0; i < size(); ++i)
    out.push_back(at(i).as_string());
  return out;
}

} // namespace pipesplit::core
