#!/usr/bin/python3
"""Small PyTorch exports for the ONNX import tests, each with the figures PyTorch itself gives (JSON next to it).

Run from anywhere with Debian's python3-torch 1.13, python3-torchvision 0.14 and python3-onnx 1.12:
    /usr/bin/python3 tests/data/onnx/make_exports.py [OUTPUT_FOLDER]   (the small exports, and tiny_convnext_op17
        with external data in external/, its graph alone in external_missing/)
    /usr/bin/python3 tests/data/onnx/make_exports.py --torchvision OUTPUT_FOLDER [--opset N] [NAME...]
        (torchvision's classification models, random weights, opset 17 or else 13, or N as NAME_opN, each with its
        hook-based figures; a model over 2 GB in OUTPUT_FOLDER/NAME/ with its weights in side files)
    /usr/bin/python3 tests/data/onnx/make_exports.py --large OUTPUT_FOLDER   (full-size, not checked in: ViT-B/16 and
        a BERT-base-shaped nn.TransformerEncoder of 12 layers, 768 wide, 128 tokens)
The reference MACs come from forward hooks: Conv2d (output elements x input channels / groups x kernel), Linear
(output elements x input features) and the attention modules, whose projections and matmuls run in functional code
the hooks on Linear cannot see (ViT's nn.MultiheadAttention, Swin's ShiftedWindowAttention, MaxViT's einsums). "params" is
sum(p.numel()) over model.parameters(); "exported_params" what an export with constant folding keeps, derived from
the modules: each batch norm folds into the bias-free convolution before it (2 C parameters become a C bias), and
each Swin window attention's relative position bias is precomputed from its table ((2 w - 1)^2 x heads parameters
become a w^2 x w^2 x heads constant), its shifted-window mask (windows x w^2 x w^2) becoming a constant too. "cuts" lists the bytes of the output of each top-level block (float32), which
the blocks chain of the imported model must offer as cuts.
"""
import json
import os
import shutil
import sys

import onnx
import torch
import torch.nn as nn
import torchvision
from torchvision.models import convnext, maxvit, shufflenetv2, swin_transformer

torch.manual_seed(0)
EXTERNAL_DATA_BYTES = 2**31 - 2**27  # a model this large may not fit protobuf's 2 GB with its graph


class MacCounter:
    def __init__(self, model):
        self.macs = 0
        self.exported_change = 0  # exported_params - params
        # Swin V2's continuous position bias MLP runs on a constant table: input-independent, the export folds it.
        constant = {id(m) for name, m in model.named_modules() if ".cpb_mlp" in name}
        self.handles = [module.register_forward_hook(self.hook) for module in model.modules() if id(module) not in constant]

    def hook(self, module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            self.macs += output.numel() * module.in_channels // module.groups * k
        elif isinstance(module, nn.Linear):
            self.macs += output.numel() * module.in_features
        elif isinstance(module, nn.MultiheadAttention):
            self.macs += multihead_attention_macs(module, output[0])
        elif isinstance(module, swin_transformer.ShiftedWindowAttention):
            self.macs += window_attention_macs(module, inputs[0])
            self.exported_change += window_attention_constants(module, inputs[0])
        elif isinstance(module, maxvit.RelativePositionalMultiHeadAttention):
            # x of [B, G, P, D]: Q K^T and A V by torch.einsum, P x P x D each per group.
            _, groups, tokens, width = inputs[0].shape
            self.macs += 2 * groups * tokens * tokens * width
        elif isinstance(module, nn.BatchNorm2d):
            self.exported_change -= module.num_features

    def remove(self):
        for handle in self.handles:
            handle.remove()


def multihead_attention_macs(module, output):
    # in_proj (q, k, v: 3 E x E per token) and out_proj (E x E per token; a Linear module, but called through its
    # weights, never hooked) run in F.multi_head_attention_forward; Q K^T and A V: L x L x E each over all heads. (Forward hooks do not see keyword arguments: the token count comes
    # from the output, of the query's shape.)
    tokens = output.shape[1] if module.batch_first else output.shape[0]
    e = module.embed_dim
    return 4 * tokens * e * e + 2 * tokens * tokens * e


def window_attention_macs(module, x):
    # shifted_window_attention pads H and W to multiples of the window, then per window of N tokens: qkv (3 C x C per
    # token), Q K^T and A V (N x N x C each) and proj (C x C per token), all in functional code.
    _, h, w, c = x.shape
    wh, ww = module.window_size
    ph, pw = -(-h // wh) * wh, -(-w // ww) * ww
    windows, n = (ph // wh) * (pw // ww), wh * ww
    return windows * (3 * n * c * c + 2 * n * n * c + n * c * c)


def window_attention_constants(module, x):
    # The bias table is replaced by the bias itself; the mask exists when a shift is left (shifted_window_attention
    # drops the shift along an axis the window covers).
    _, h, w, c = x.shape
    wh, ww = module.window_size
    ph, pw = -(-h // wh) * wh, -(-w // ww) * ww
    n = wh * ww
    table = getattr(module, "relative_position_bias_table", None)  # V2 computes it with the cpb MLP instead
    table_size = table.numel() if table is not None else sum(p.numel() for p in module.cpb_mlp.parameters())
    change = -table_size + n * n * module.num_heads
    shifted = (module.shift_size[0] > 0 and wh < ph) or (module.shift_size[1] > 0 and ww < pw)
    return change + ((ph // wh) * (pw // ww) * n * n if shifted else 0)


def block_output_bytes(blocks, example):
    sizes = []
    handles = [module.register_forward_hook(lambda m, i, o: sizes.append(o.numel() * o.element_size()))
               for module in blocks]
    return sizes, handles


class TextEncoder(nn.Module):
    """Token ids -> embeddings -> nn.TransformerEncoder: a BERT-shaped text model."""

    def __init__(self, vocabulary, width, heads, layers, feed_forward):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, width)
        layer = nn.TransformerEncoderLayer(width, heads, feed_forward, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, ids):
        return self.encoder(self.embedding(ids))


def tiny_models():
    vit = torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=64,
                                               mlp_dim=128, num_classes=10)
    swin = swin_transformer.SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[1, 2],
                                            window_size=[4, 4], num_classes=10)
    shuffle = shufflenetv2.ShuffleNetV2([2, 1, 1], [8, 16, 32, 64, 128], num_classes=10)
    layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, batch_first=True)
    encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    text = TextEncoder(1000, 64, 4, 2, 128)
    image = torch.randn(1, 3, 32, 32)
    # Built last, so that the models above keep their random weights. Below opset 17 the exporter decomposes
    # LayerNorm into ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add.
    convnext_model = convnext.ConvNeXt([convnext.CNBlockConfig(16, 32, 2), convnext.CNBlockConfig(32, None, 1)],
                                       num_classes=10)
    return [
        # name, model, example input, opset, top-level blocks whose outputs are cuts, dynamic axes
        ("tiny_vit_op13", vit, image, 13, list(vit.encoder.layers), None),
        ("tiny_vit_op17", vit, image, 17, list(vit.encoder.layers), None),
        ("tiny_swin_op17", swin, image, 17, list(swin.features), None),
        ("tiny_shufflenetv2_op13", shuffle, image, 13, [shuffle.stage2, shuffle.stage3, shuffle.stage4], None),
        ("tiny_encoder_op13", encoder, torch.randn(1, 16, 64), 13, list(encoder.layers), None),
        ("tiny_text_op13", text, torch.randint(0, 1000, (1, 16)), 13, list(text.encoder.layers),
         {"ids": {1: "tokens"}}),
        ("tiny_convnext_op13", convnext_model, image, 13, list(convnext_model.features), None),
        ("tiny_convnext_op17", convnext_model, image, 17, list(convnext_model.features), None),
    ]


def export(name, model, example, opset, blocks, dynamic_axes, folder):
    model.eval()
    counter = MacCounter(model)
    cuts, handles = block_output_bytes(blocks, example)
    # With gradients on, the fused inference paths of nn.MultiheadAttention and nn.TransformerEncoderLayer (which
    # bypass the submodules and their hooks) stay off.
    output = model(example).detach()
    counter.remove()
    for handle in handles:  # the export runs the model again
        handle.remove()
    path = os.path.join(folder, name + ".onnx")
    input_name = "ids" if dynamic_axes else "input"
    torch.onnx.export(model, example, path, opset_version=opset, do_constant_folding=True, input_names=[input_name],
                      output_names=["output"], dynamic_axes=dynamic_axes)
    figures = {
        "model": name,
        "opset": opset,
        "input_shape": list(example.shape),
        "output_shape": list(output.shape),
        "macs": counter.macs,
        "params": sum(p.numel() for p in model.parameters()),
        "exported_params": sum(p.numel() for p in model.parameters()) + counter.exported_change,
        "cuts": cuts,
    }
    with open(os.path.join(folder, name + ".json"), "w") as out:
        json.dump(figures, out, indent=1)
        out.write("\n")
    print(f"{name}: {os.path.getsize(path)} bytes, {counter.macs} MAC, {figures['params']} parameters")


def large_models():
    vit = torchvision.models.vit_b_16()
    layer = nn.TransformerEncoderLayer(768, 12, 3072, dropout=0.0, activation="gelu", batch_first=True)
    bert = nn.TransformerEncoder(layer, 12, enable_nested_tensor=False)
    # The 12 layers are deep copies of one: the exporter would share their identical weights, which a trained model
    # never has.
    with torch.no_grad():
        for p in bert.parameters():
            p.normal_(0, 0.02)
    return [
        ("vit_b_16_op17", vit, torch.randn(1, 3, 224, 224), 17, list(vit.encoder.layers), None),
        ("bert_base_encoder_op13", bert, torch.randn(1, 128, 768), 13, list(bert.layers), None),
    ]


def zero(g, self):
    """aten::zero (zeros shaped as its input), which PyTorch 1.13's exporter lacks: torchvision's Swin V2 zeroes its
    key bias with zero_(), which the exporter turns into zero and a ScatterND."""
    return g.op("Mul", self, g.op("Constant", value_t=torch.tensor(0.0)))


def torchvision_model(name, folder, opsets=(17, 13)):
    """One torchvision classification model (random weights), opset 17, else 13; a JSON with the error if neither.
    Given one opset, the files are named NAME_opN."""
    model = torchvision.models.get_model(name)
    size = {"inception_v3": 299, "swin_v2_t": 256, "swin_v2_s": 256, "swin_v2_b": 256}.get(name, 224)
    if sum(p.numel() * p.element_size() for p in model.parameters()) >= EXTERNAL_DATA_BYTES:
        # Over protobuf's 2 GB the exporter writes every weight to its own file next to the model (ONNX external
        # data, named after the weight): a folder of its own per model, so that two models' files never mix.
        folder = os.path.join(folder, name)
        os.makedirs(folder, exist_ok=True)
    file_name = name if len(opsets) > 1 else f"{name}_op{opsets[0]}"
    for opset in opsets:
        try:
            export(file_name, model, torch.randn(1, 3, size, size), opset, [], None, folder)
            return
        except Exception as error:  # the exporter's own refusals, reported as they are
            failure = f"opset {opset}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    with open(os.path.join(folder, file_name + ".json"), "w") as out:
        json.dump({"model": name, "export_error": failure}, out, indent=1)
    print(f"{name}: not exported ({failure})")


def external_copies(folder):
    """tiny_convnext_op17 with its weights in a side file, as ONNX's own save writes them (one file, offsets): in
    external/ with its file, in external_missing/ without it."""
    model = onnx.load(os.path.join(folder, "tiny_convnext_op17.onnx"))
    for subfolder in ("external", "external_missing"):
        os.makedirs(os.path.join(folder, subfolder), exist_ok=True)
    onnx.save_model(model, os.path.join(folder, "external", "tiny_convnext_op17.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="tiny_convnext_op17.weights", size_threshold=1024)
    shutil.copy(os.path.join(folder, "external", "tiny_convnext_op17.onnx"), os.path.join(folder, "external_missing"))


def main():
    for opset in (13, 17):
        torch.onnx.register_custom_op_symbolic("aten::zero", zero, opset)
    if len(sys.argv) >= 3 and sys.argv[1] == "--torchvision":
        names, opsets = sys.argv[3:], (17, 13)
        if len(names) >= 2 and names[0] == "--opset":
            names, opsets = names[2:], (int(names[1]),)
        for name in names or torchvision.models.list_models(module=torchvision.models):
            torchvision_model(name, sys.argv[2], opsets)
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--large":
        for entry in large_models():
            export(*entry, sys.argv[2])
        return
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for entry in tiny_models():
        export(*entry, folder)
    external_copies(folder)


if __name__ == "__main__":
    main()
