#pragma once
// The built-in model zoo: architectures described with ModelBuilder, so every figure is computed from shapes.
// Each entry carries the published totals it is checked against (tests: within 2%).

#include "core/model.hpp"
#include "models/layer.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pipesplit::models {

struct ZooEntry {
  std::string name;
  std::string description;
  std::function<Model()> build; // at the published input size
  double published_macs   = 0;  // multiply-accumulates, batch 1
  double published_params = 0;
  std::string reference; // where the published figures come from
  // At another square input side in pixels (networks ending in a global or adaptive pooling, a detection grid, or
  // ViT's token sequence); null for BERT, whose input is a token sequence, not an image.
  std::function<Model(int)> build_at = nullptr;
};

const std::vector<ZooEntry>& model_zoo();
const ZooEntry* find_zoo_model(const std::string& name); // nullptr if unknown

// Builders, one per architecture family (zoo_<family>.cpp).
// `resolution`: the square input's side in pixels (the builders' defaults are the published sizes).
Model build_resnet(int depth, int resolution = 224);
Model build_mobilenet_v2(int resolution = 224);
Model build_vgg16(int resolution = 224);
Model build_googlenet(int resolution = 224);
Model build_inception_v3(int resolution = 299);
Model build_yolov2(int resolution = 416);
Model build_tiny_yolov2(int resolution = 416);
Model build_vit_b_16(int resolution = 224);
Model build_bert_base();

} // namespace pipesplit::models
