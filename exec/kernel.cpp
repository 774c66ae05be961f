#include "exec/kernel.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <map>

namespace pipesplit::exec {

using Factory = std::function<std::unique_ptr<LayerKernel>(const KernelContext&)>;

static const std::map<std::string, Factory>& factories()
{
  static const std::map<std::string, Factory> table = {
      {"conv", make_conv},
      {"maxpool", make_pool},
      {"avgpool", make_pool},
      {"bn", make_batch_norm},
      {"fc", make_fully_connected},
      {"matmul", make_fully_connected},
      {"reorg", make_space_to_depth},
      {"relu", make_eltwise},
      {"relu6", make_eltwise},
      {"leaky_relu", make_eltwise},
      {"sigmoid", make_eltwise},
      {"tanh", make_eltwise},
      {"gelu", make_eltwise},
      {"hswish", make_eltwise},
      {"add", make_add},
      {"mul", make_binary},
      {"sub", make_binary},
      {"div", make_binary},
      {"pow", make_eltwise},
      {"sqrt", make_eltwise},
      {"erf", make_erf},
      {"reducemean", make_reduce_mean},
      {"transpose", make_transpose},
      {"lrn", make_lrn},
      {"concat", make_concat},
      {"flatten", make_copy},
      {"dropout", make_copy}, // inference: the identity
      {"identity", make_copy},
      {"squeeze", make_copy},
      {"unsqueeze", make_copy},
      {"softmax", make_softmax},
      {"layernorm", make_layer_norm},
      {"attention", make_attention},
      {"embedding", make_embedding},
      {"reshape", make_to_tokens},
      {"slice", make_select_token},
      {"gather", make_gather},
      {"pad", make_pad},
  };
  return table;
}

std::vector<std::string> executable_ops()
{
  std::vector<std::string> ops;
  for (const auto& [op, factory] : factories())
    ops.push_back(op);
  return ops;
}

void refuse(const Layer& layer, const std::string& why)
{
  throw InputError(fmt::format("layer '{}' (op {}) cannot be executed: {}", layer.name, layer.op, why));
}

std::unique_ptr<LayerKernel> make_kernel(const KernelContext& context)
{
  const Layer& layer = context.layer;
  const auto it      = factories().find(layer.op);
  if (it == factories().end())
    refuse(layer, fmt::format("no executor for this op (executable: {})", fmt::join(executable_ops(), ", ")));
  if (!layer.attributes.present)
    refuse(layer, "the model gives no op attributes for it (a model file with figures only: rebuild it from the zoo "
                  "or an ONNX import; or an ONNX node of a form the executor does not run)");
  try {
    return it->second(context);
  } catch (const dnnl::error& e) {
    refuse(layer, fmt::format("oneDNN refused its shapes ({})", e.what()));
  }
}

PrimitiveKernel::PrimitiveKernel(dnnl::primitive primitive, Sources sources, dnnl::memory::desc destination,
                                 std::unordered_map<int, dnnl::memory> weights, dnnl::engine& engine)
    : primitive_(std::move(primitive)), sources_(std::move(sources)), destination_(std::move(destination)),
      weights_(std::move(weights)), engine_(engine)
{}

void PrimitiveKernel::run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output)
{
  std::unordered_map<int, dnnl::memory> args = weights_;
  for (size_t i = 0; i < sources_.size(); ++i)
    args[sources_[i].first] = wrap(sources_[i].second, engine_, inputs[i]->data.data());
  args[DNNL_ARG_DST] = wrap(destination_, engine_, output.data.data());
  primitive_.execute(stream, args);
}

std::unique_ptr<LayerKernel> primitive_kernel(dnnl::primitive primitive, PrimitiveKernel::Sources sources,
                                              dnnl::memory::desc destination,
                                              std::unordered_map<int, dnnl::memory> weights, dnnl::engine& engine)
{
  return std::make_unique<PrimitiveKernel>(std::move(primitive), std::move(sources), std::move(destination),
                                           std::move(weights), engine);
}

dnnl::memory::desc plain_desc(const dnnl::memory::dims& dims)
{
  dnnl::memory::dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;)
    strides[i - 1] = strides[i] * dims[i];
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

dnnl::memory::dims with_batch(const Shape& shape)
{
  dnnl::memory::dims dims{1};
  dims.insert(dims.end(), shape.begin(), shape.end());
  return dims;
}

dnnl::memory::desc activation_desc(const Shape& shape)
{
  if (shape.size() == 3)
    return dnnl::memory::desc(with_batch(shape), dnnl::memory::data_type::f32, dnnl::memory::format_tag::nhwc);
  return plain_desc(with_batch(shape));
}

dnnl::memory wrap(const dnnl::memory::desc& desc, dnnl::engine& engine, const float* data)
{
  // oneDNN takes a non-const handle for every memory; inputs are only read.
  return dnnl::memory(desc, engine, const_cast<float*>(data));
}

dnnl::memory random_weights(const KernelContext& context, const std::string& part, const dnnl::memory::desc& plain,
                            const dnnl::memory::desc& wanted, float low, float high)
{
  std::vector<float> values(plain.get_size() / sizeof(float));
  RandomStream(context.seed, context.layer.name + "/" + part).fill(values, low, high);
  dnnl::memory source = wrap(plain, context.engine, values.data());
  dnnl::memory target(wanted, context.engine);
  dnnl::stream stream(context.engine);
  dnnl::reorder(source, target).execute(stream, source, target);
  stream.wait();
  return target;
}

} // namespace pipesplit::exec
