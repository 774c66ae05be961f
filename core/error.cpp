#include "core/error.hpp"

#include <filesystem>

namespace pipesplit::core {

static std::string compose(const std::string& where, const std::string& field, const std::string& what)
{
  std::string message = where;
  if (!field.empty())
    message += (message.empty() ? "" : ": ") + std::string("field '") + field + "'";
  return message + (message.empty() ? "" : ": ") + what;
}

InputError::InputError(const std::string& where, const std::string& field, const std::string& what)
    : Failure(compose(where, field, what))
{}

ExitStatus status_of(const std::exception& error)
{
  if (const auto* failure = dynamic_cast<const Failure*>(&error))
    return failure->status();
  // A folder or file the user named that cannot be created, read or written (read-only --out, no space): the
  // system's own words name the paths.
  if (dynamic_cast<const std::filesystem::filesystem_error*>(&error))
    return ExitStatus::BadInput;
  return ExitStatus::Bug;
}

void rethrow_as(ExitStatus status, const std::string& message)
{
  switch (status) {
  case ExitStatus::BadInput:
    throw InputError(message);
  case ExitStatus::SimulationFailed:
    throw SimulationFailure(message);
  case ExitStatus::NoPlacement:
    throw NoPlacement(message);
  case ExitStatus::NotPermitted:
    throw NotPermitted(message);
  case ExitStatus::Ok:
  case ExitStatus::Bug:
    break;
  }
  throw std::runtime_error(message);
}

std::optional<ExitStatus> exit_status_from_code(int code)
{
  if (code < 0 || code > static_cast<int>(ExitStatus::NotPermitted))
    return std::nullopt;
  return static_cast<ExitStatus>(code);
}

} // namespace pipesplit::core
