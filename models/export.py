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
