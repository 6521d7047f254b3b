"""Export the trained classifier to ONNX (fp32) and quantise it to dynamic int8."""
from __future__ import annotations

from pathlib import Path

import torch


class _LogitsOnly(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids, attention_mask)


def export_onnx(model, out_path: Path, max_len: int) -> Path:
    model = model.eval().float()
    ids = torch.ones((2, min(16, max_len)), dtype=torch.long)
    mask = torch.ones_like(ids)
    torch.onnx.export(
        _LogitsOnly(model),
        (ids, mask),
        str(out_path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    return out_path


def quantise_int8(fp32_path: Path, int8_path: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Embedding tables are left fp32 (Gather quantisation costs accuracy for little speed).
    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gemm"])
    return int8_path


EMBEDDING_OUTPUT = "embedding"


def add_embedding_output(onnx_path: Path) -> Path:
    """Expose the pooled sentence vector (the classifier head's input) as a second output, in place.

    Claim matching (waspada.claims) compares posts with debunked claims in this space; the logits
    and every weight stay as they are. Works on the fp32 graph (head = MatMul/Gemm) and on the
    dynamically quantised one (head = MatMulInteger fed by DynamicQuantizeLinear)."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(onnx_path))
    graph = model.graph
    if any(o.name == EMBEDDING_OUTPUT for o in graph.output):
        return onnx_path
    producers = {out: node for node in graph.node for out in node.output}
    node = producers["logits"]
    while node.op_type not in ("MatMul", "Gemm", "MatMulInteger"):  # walk back over Add / Mul / Cast
        node = next(producers[i] for i in node.input if i in producers)
    pooled = node.input[0]
    if pooled in producers and producers[pooled].op_type == "DynamicQuantizeLinear":
        pooled = producers[pooled].input[0]
    graph.output.append(helper.make_tensor_value_info(pooled, TensorProto.FLOAT, ["batch", "hidden"]))
    # Renaming the tensor would touch every consumer; an Identity gives it the public name.
    graph.node.append(helper.make_node("Identity", [pooled], [EMBEDDING_OUTPUT], name="embedding_output"))
    graph.output[-1].name = EMBEDDING_OUTPUT
    onnx.save(model, str(onnx_path))
    return onnx_path


if __name__ == "__main__":
    import sys

    for arg in sys.argv[1:]:
        print(add_embedding_output(Path(arg) / "model.int8.onnx" if Path(arg).is_dir() else Path(arg)))
