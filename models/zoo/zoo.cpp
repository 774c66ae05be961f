#include "models/zoo/zoo.hpp"

namespace pipesplit::models {

const std::vector<ZooEntry>& model_zoo()
{
  static const std::vector<ZooEntry> zoo = {
      {"resnet18", "ResNet-18, 224x224 ImageNet classifier", [] { return build_resnet(18); }, 1.82e9, 11.69e6,
       "He et al. 2016 (1.8 GFLOPs as MAC); torchvision: 11,689,512 parameters, 1.814 GMAC",
       [](int side) { return build_resnet(18, side); }},
      {"resnet50", "ResNet-50, 224x224 ImageNet classifier", [] { return build_resnet(50); }, 4.09e9, 25.557e6,
       "torchvision: 25,557,032 parameters, 4.09 GMAC (He et al. 2016: 3.8 G)",
       [](int side) { return build_resnet(50, side); }},
      {"resnet101", "ResNet-101, 224x224 ImageNet classifier", [] { return build_resnet(101); }, 7.8e9, 44.549e6,
       "torchvision: 44,549,160 parameters, 7.80 GMAC (He et al. 2016: 7.6 G)",
       [](int side) { return build_resnet(101, side); }},
      {"mobilenet_v2", "MobileNetV2 1.0, 224x224 ImageNet classifier", [] { return build_mobilenet_v2(); }, 0.300e9,
       3.504e6, "Sandler et al. 2018, table 4: 300 M MAC, 3.4 M parameters; torchvision: 3,504,872",
       [](int side) { return build_mobilenet_v2(side); }},
      {"vgg16", "VGG-16 (configuration D), 224x224 ImageNet classifier", [] { return build_vgg16(); }, 15.47e9,
       138.357544e6,
       "torchvision vgg16: 138,357,544 parameters, 15.47 GMAC (Simonyan & Zisserman 2015, table 2: 138 M)",
       [](int side) { return build_vgg16(side); }},
      {"googlenet", "GoogLeNet (Inception v1), 224x224 ImageNet classifier, no auxiliary heads",
       [] { return build_googlenet(); }, 1.50e9, 6.624904e6,
       "torchvision googlenet without aux1/aux2: 6,624,904 parameters, 1.50 GMAC (Szegedy et al. 2015: 1.5 G "
       "multiply-adds)",
       [](int side) { return build_googlenet(side); }},
      {"inception_v3", "Inception-v3, 299x299 ImageNet classifier, no auxiliary logits",
       [] { return build_inception_v3(); }, 5.71e9, 23.834568e6,
       "torchvision inception_v3: 5.71 GMAC; 23,834,568 parameters = torchvision's 27,161,264 less the 3,326,696 "
       "of AuxLogits, which is not built",
       [](int side) { return build_inception_v3(side); }},
      {"yolov2", "YOLOv2, 416x416, 80-class COCO head (Darknet yolov2.cfg)", [] { return build_yolov2(); }, 14.74e9,
       50.95e6,
       "Darknet yolov2.cfg at 416: 29.47 BFLOPs, 2 FLOP per convolution MAC (62.94 at 608, pjreddie.com/darknet/"
       "yolo); OpenVINO Open Model Zoo yolo-v2-tf (the same COCO weights): 50.95 M parameters, batch norm folded "
       "into a bias (we count gamma and beta: +10.6 k)",
       [](int side) { return build_yolov2(side); }},
      {"tiny_yolov2", "Tiny-YOLOv2, 416x416, 80-class COCO head (Darknet yolov2-tiny.cfg)",
       [] { return build_tiny_yolov2(); }, 2.705e9, 11.229e6,
       "pjreddie.com/darknet/yolo, Tiny YOLO COCO: 5.41 BFLOPs, 2 FLOP per MAC (the 6.97 listed there is the "
       "VOC model, yolov2-tiny-voc.cfg, 15.9 M parameters); OpenVINO Open Model Zoo yolo-v2-tiny-tf: 11.229 M "
       "parameters, batch norm folded",
       [](int side) { return build_tiny_yolov2(side); }},
      {"vit_b_16", "ViT-B/16, 224x224 ImageNet classifier (197 tokens)", [] { return build_vit_b_16(); }, 17.56e9,
       86.567656e6,
       "torchvision vit_b_16: 86,567,656 parameters (incl. class token and positional embedding), 17.56 GMAC "
       "(incl. the attention matmuls)",
       [](int side) { return build_vit_b_16(side); }},
      {"bert_base", "BERT-base uncased encoder with pooler, 128 tokens", [] { return build_bert_base(); }, 11.2e9,
       109.48224e6,
       "Hugging Face bert-base-uncased BertModel: 109,482,240 parameters incl. embeddings (23,837,184) and pooler "
       "(Devlin et al. 2019: 110 M); MAC derived, no authoritative figure: 12 x (12 T D^2 + 2 T^2 D) + D^2 = "
       "11.17 G at T = 128, D = 768 (embeddings are lookups, 0 MAC); twice that is the ~22.5 GFLOPs commonly "
       "quoted for BERT-base at 128 tokens"},
  };
  return zoo;
}

const ZooEntry* find_zoo_model(const std::string& name)
{
  for (const auto& entry : model_zoo())
    if (entry.name == name)
      return &entry;
  return nullptr;
}

} // namespace pipesplit::models
