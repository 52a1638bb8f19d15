"""A CLIP network with ViT-B/32's exact shapes (Radford et al. 2021, Table 20): 224 px, patch 32,
vision width 768, 12 layers, 12 heads; text width 512, 8 heads, 12 layers, context 77, vocabulary
49408; embedding 512. Left untrained: export.py --vit-b32-random writes it for inference-speed
benchmarks only, so timings reflect a real-sized CLIP."""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from model import Block


class VisionTransformer(nn.Module):
    def __init__(self, size=224, patch=32, width=768, layers=12, heads=12, out_dim=512):
        super().__init__()
        self.patch = nn.Conv2d(3, width, patch, stride=patch, bias=False)
        grid = size // patch
        self.cls = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.pos = nn.Parameter(torch.randn(grid * grid + 1, width) * width ** -0.5)
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Linear(width, out_dim, bias=False)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.patch(image).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], dim=1) + self.pos
        x = self.ln_pre(x)
        for blk in self.blocks:
            x = blk(x, None)
        return self.proj(self.ln_post(x[:, 0]))


class CausalText(nn.Module):
    def __init__(self, vocab=49408, ctx=77, width=512, layers=12, heads=8, out_dim=512, eot_id=49407):
        super().__init__()
        self.eot_id = eot_id
        self.tok = nn.Embedding(vocab, width)
        self.pos = nn.Parameter(torch.randn(ctx, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, out_dim, bias=False)
        self.register_buffer("mask", torch.full((ctx, ctx), float("-inf")).triu(1), persistent=False)

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        x = self.tok(text) + self.pos
        for blk in self.blocks:
            x = blk(x, self.mask)
        x = self.ln(x)
        eot = (text == self.eot_id).to(torch.int32).argmax(dim=-1)
        return self.proj(x[torch.arange(x.shape[0]), eot])


class ViTClip(nn.Module):
    def __init__(self, eot_id: int = 49407):
        super().__init__()
        self.cfg = {"eot_id": eot_id}
        self.visual = VisionTransformer()
        self.textual = CausalText(eot_id=eot_id)

    def forward(self, image, text):
        return F.normalize(self.visual(image), dim=-1), F.normalize(self.textual(text), dim=-1)
