#include "exec/stage_runner.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <chrono>
#include <map>

namespace pipesplit::exec {

// Slots: 0 is the model input, i + 1 the output of layer i.
namespace {

struct Lifetimes {
  std::vector<int> producer;      // per slot: the layer index, -1 for the model input
  std::vector<int> last_consumer; // per slot: the last layer reading it; layers.size() (the sink) when none does
};

Lifetimes lifetimes(const Model& model)
{
  const int n = static_cast<int>(model.layers.size());
  std::map<std::string, int> slot{{model.input_name, 0}};
  Lifetimes l{std::vector<int>(n + 1), std::vector<int>(n + 1, -2)};
  l.producer[0] = -1;
  for (int i = 0; i < n; ++i) {
    slot[model.layers[i].name] = i + 1;
    l.producer[i + 1]          = i;
  }
  for (int i = 0; i < n; ++i)
    for (const auto& input : model.layers[i].inputs)
      l.last_consumer[slot.at(input)] = std::max(l.last_consumer[slot.at(input)], i);
  for (auto& last : l.last_consumer)
    if (last == -2)
      last = n;
  return l;
}

int slot_of(const Model& model, const std::string& name)
{
  return name == model.input_name ? 0 : model.layer_index(name) + 1;
}

} // namespace

StageRunner::StageRunner(const Model& model, const Chain& chain, int first_block, int last_block, StageOptions options)
    : model_(model), options_(options)
{
  if (first_block < 0 || last_block < first_block || last_block >= chain.size())
    throw InputError(fmt::format("blocks {}-{}: the chain of {} has blocks 0-{}", first_block, last_block, model.name,
                                 chain.size() - 1));
  if (model.dtype_bytes != sizeof(float))
    throw InputError(model.source, "dtype_bytes",
                     fmt::format("execution runs float32 (4 bytes), the model says {}", model.dtype_bytes));
  if (options_.threads < 1)
    throw InputError(fmt::format("threads must be >= 1, got {}", options_.threads));
  first_layer_         = chain.blocks[first_block].first_layer;
  last_layer_          = chain.blocks[last_block].last_layer;
  const Lifetimes life = lifetimes(model);
  for (size_t slot = 0; slot < life.producer.size(); ++slot) {
    const std::string name = slot == 0 ? model.input_name : model.layers[slot - 1].name;
    if (life.producer[slot] < first_layer_ && life.last_consumer[slot] >= first_layer_) {
      input_names_.push_back(name);
      input_shapes_.push_back(slot == 0 ? model.input_shape : model.layers[slot - 1].output_shape);
    }
    if (life.producer[slot] <= last_layer_ && life.last_consumer[slot] > last_layer_)
      output_names_.push_back(name);
  }
  omp_set_num_threads(options_.threads); // oneDNN sizes its work split when it creates a primitive
  engine_ = std::make_unique<dnnl::engine>(dnnl::engine::kind::cpu, 0);
  stream_ = std::make_unique<dnnl::stream>(*engine_);
  for (int i = first_layer_; i <= last_layer_; ++i) {
    const Layer& layer = model.layers[i];
    std::vector<Shape> shapes;
    std::vector<int> slots;
    for (const auto& input : layer.inputs) {
      const int slot = slot_of(model, input);
      slots.push_back(slot);
      shapes.push_back(slot == 0 ? model.input_shape : model.layers[slot - 1].output_shape);
    }
    layer_inputs_.push_back(std::move(slots));
    outputs_.emplace_back(layer.name, layer.output_shape);
    kernels_.push_back(make_kernel({layer, std::move(shapes), *engine_, options_.seed}));
  }
}

StageRunner::~StageRunner()                      = default;
StageRunner::StageRunner(StageRunner&&) noexcept = default;

static double tensor_bytes(const Model& model, const std::vector<std::string>& names)
{
  double bytes = 0;
  for (const auto& name : names)
    bytes += name == model.input_name ? model.input_bytes : model.layers[model.layer_index(name)].output_bytes;
  return bytes;
}

double StageRunner::input_bytes() const
{
  return tensor_bytes(model_, input_names_);
}

double StageRunner::output_bytes() const
{
  return tensor_bytes(model_, output_names_);
}

std::vector<Tensor> StageRunner::run(const std::vector<Tensor>& inputs)
{
  return execute(inputs, nullptr);
}

Tensor StageRunner::run(const Tensor& input)
{
  if (input_names_.size() != 1 || output_names_.size() != 1)
    throw InputError(fmt::format("layers {}-{} of {} take {} tensors and give {}: use run() on a vector",
                                 model_.layers[first_layer_].name, model_.layers[last_layer_].name, model_.name,
                                 input_names_.size(), output_names_.size()));
  Tensor named = input;
  named.name   = input_names_.front();
  return std::move(execute({named}, nullptr).front());
}

std::vector<Tensor> StageRunner::run_timed(const std::vector<Tensor>& inputs, std::vector<double>& layer_seconds)
{
  layer_seconds.resize(kernels_.size(), 0.0);
  return execute(inputs, &layer_seconds);
}

std::vector<Tensor> StageRunner::execute(const std::vector<Tensor>& inputs, std::vector<double>* layer_seconds)
{
  std::map<int, const Tensor*> live; // slot -> tensor
  for (size_t i = 0; i < input_names_.size(); ++i) {
    const Tensor* given = nullptr;
    for (const auto& tensor : inputs)
      if (tensor.name == input_names_[i])
        given = &tensor;
    if (given == nullptr || given->shape != input_shapes_[i])
      throw InputError(fmt::format("stage input '{}' of shape {} missing or of another shape", input_names_[i],
                                   shape_to_string(input_shapes_[i])));
    live[slot_of(model_, input_names_[i])] = given;
  }
  omp_set_num_threads(options_.threads);
  for (size_t k = 0; k < kernels_.size(); ++k) {
    std::vector<const Tensor*> args;
    for (int slot : layer_inputs_[k])
      args.push_back(live.at(slot));
    const auto start = std::chrono::steady_clock::now();
    kernels_[k]->run(*stream_, args, outputs_[k]);
    stream_->wait();
    if (layer_seconds != nullptr)
      (*layer_seconds)[k] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    live[first_layer_ + static_cast<int>(k) + 1] = &outputs_[k];
  }
  std::vector<Tensor> outputs;
  for (const auto& name : output_names_)
    outputs.push_back(*live.at(slot_of(model_, name)));
  return outputs;
}

} // namespace pipesplit::exec
