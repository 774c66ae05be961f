#include "error.hpp"

namespace pipesplit {

static std::string compose(const std::string& where, const std::string& field, const std::string& what)
{
  std::string message = where;
  if (!field.empty())
    message += (message.empty() ? "" : ": ") + std::string("field '") + field + "'";
  return message + (message.empty() ? "" : ": ") + what;
}

InputError::InputError(const std::string& where, const std::string& field, const std::string& what)
    : std::runtime_error(compose(where, field, what))
{}

} // namespace pipesplit
