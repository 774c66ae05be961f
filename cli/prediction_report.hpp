#pragma once
// How a prediction is shown: a table for people (stdout) and JSON with stable fields for scripts.

#include "cli/layer.hpp"
#include "core/model.hpp"
#include "cost/cost_model.hpp"
#include "cost/problem.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace pipesplit::cli {

void print_prediction(std::ostream& out, const Problem& problem, const Model& model, const Prediction& prediction);
nlohmann::json prediction_to_json(const Problem& problem, const Model& model, const Prediction& prediction);

} // namespace pipesplit::cli
