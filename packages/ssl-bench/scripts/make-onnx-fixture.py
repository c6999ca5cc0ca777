#!/usr/bin/python3
"""The same ResNet-18 weights twice, for the ONNX <-> torchvision consistency test of ssl-bench:

    /usr/bin/python3 packages/ssl-bench/scripts/make-onnx-fixture.py packages/ssl-bench/test/fixtures

Writes resnet18-w0.125.onnx (torch.onnx.export, input `images` float32 [N, 3, 32, 32], output
`features` [N, 64]) and resnet18-w0.125.safetensors (its state_dict, torchvision names, torch
layout, fc and num_batches_tracked left out). The network is torchvision's ResNet-18 (BasicBlock,
[2, 2, 2, 2], ImageNet stem: 7x7/2 conv + 3x3/2 max-pool) at channel width x0.125 (8/16/32/64),
fc removed; seeded weights, random BN affine parameters and BN running statistics measured on
seeded uniform images (cumulative average), so every tensor of the file matters.
Needs only Debian's python3-torch and python3-torchvision (torch 1.13).
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

WIDTH = 0.125
SIZE = 32
SEED = 22


class BasicBlock(nn.Module):
    """torchvision's BasicBlock with its attribute names."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet18(nn.Module):
    """torchvision.models.resnet18 state_dict names, narrower channels, no fc."""

    def __init__(self, width):
        super().__init__()
        w = [max(1, round(c * width)) for c in (64, 128, 256, 512)]
        self.conv1 = nn.Conv2d(3, w[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(w[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = w[0]
        for i, cout in enumerate(w):
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)))
            cin = cout
        self.avgpool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(1, 5):
            x = getattr(self, f"layer{i}")(x)
        return torch.flatten(self.avgpool(x), 1)


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, arr in tensors:
        b = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))
    os.replace(path + ".tmp", path)


def main(out):
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    net = ResNet18(WIDTH)
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.uniform_(m.bias, -0.1, 0.1)
            m.momentum = None  # cumulative average of the batches below
    net.train()
    with torch.no_grad():
        for _ in range(8):
            net(torch.rand(32, 3, SIZE, SIZE))
    net.eval()
    os.makedirs(out, exist_ok=True)
    state = [(k, v.numpy()) for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")]
    write_safetensors(os.path.join(out, "resnet18-w0.125.safetensors"), state)
    onnx_path = os.path.join(out, "resnet18-w0.125.onnx")
    torch.onnx.export(
        net,
        torch.rand(2, 3, SIZE, SIZE),
        onnx_path + ".tmp",
        input_names=["images"],
        output_names=["features"],
        dynamic_axes={"images": {0: "N"}, "features": {0: "N"}},
        opset_version=13,
    )
    os.replace(onnx_path + ".tmp", onnx_path)
    print(f"wrote {out}: {len(state)} tensors, torch {torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "test", "fixtures"))
