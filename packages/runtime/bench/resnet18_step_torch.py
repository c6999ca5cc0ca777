"""PyTorch baseline for vs-pytorch.bench.mjs: one SGD step of ResNet-18 with the CIFAR
stem (3x3 stride-1 conv, no max-pool), basic blocks [2, 2, 2, 2], BatchNorm with batch
statistics, global average pool, linear head, softmax cross-entropy, SGD lr 0.01 - the
architecture and step of resnet18-fixture.mjs. Prints one JSON line with img/s.
  python3 resnet18_step_torch.py [--batch 64] [--size 32] [--threads 2] [--steps 5]
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResNet18(nn.Module):
    def __init__(self, width=64, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        blocks, cin = [], width
        for stage, mult in enumerate([1, 2, 4, 8]):
            for i in range(2):
                blocks.append(Block(cin, width * mult, 2 if stage > 0 and i == 0 else 1))
                cin = width * mult
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = ResNet18().train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.rand(args.batch, 3, args.size, args.size)
    y = torch.randint(0, 10, (args.batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return float(loss)

    step()  # warm-up (oneDNN primitive creation)
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = (time.perf_counter() - t0) / args.steps
    print(json.dumps(dict(batch=args.batch, steps=args.steps, threads=torch.get_num_threads(),
                          torch=torch.__version__, seconds=round(seconds, 4),
                          img_per_s=round(args.batch / seconds, 2))), flush=True)


if __name__ == "__main__":
    main()
