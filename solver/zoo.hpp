#pragma once
// The built-in model zoo: architectures described with ModelBuilder, so every figure is computed from shapes.
// Each entry carries the published totals it is checked against (tests: within 2%).

#include "model.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pipesplit {

struct ZooEntry {
  std::string name;
  std::string description;
  std::function<Model()> build;
  double published_macs   = 0; // multiply-accumulates, batch 1
  double published_params = 0;
  std::string reference; // where the published figures come from
};

const std::vector<ZooEntry>& model_zoo();
const ZooEntry* find_zoo_model(const std::string& name); // nullptr if unknown

// Builders, one per architecture family (zoo_<family>.cpp).
Model build_resnet(int depth);
Model build_mobilenet_v2();
Model build_vgg16();
Model build_googlenet();
Model build_inception_v3();
Model build_yolov2();
Model build_tiny_yolov2();
Model build_vit_b_16();
Model build_bert_base();

} // namespace pipesplit
