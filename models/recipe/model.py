"""The shoebox-mini CLIP architecture (Radford et al. 2021, sections 2.4-2.5), sized for 2 CPU cores.

Image encoder: a small ConvNet (3x3 convolutions with BatchNorm, strided stages) followed by
CLIP-style attention pooling, so the pooled feature is a query over all grid cells (counts and
several objects stay visible to it). With `colour_stream`, the trunk sees luma only and a per-pixel
colour stream joins it at the pooling (see VisionEncoder.forward for why). Text encoder: a causal
transformer like CLIP's; the text feature is the final-layer output at the end-of-text token.
Both are linearly projected into a shared space and L2-normalised; a learned temperature scales
the cosine similarities.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ClipConfig:
    embed_dim: int = 128
    image_size: int = 64
    vision_widths: tuple = (32, 64, 96, 128)
    # Channels of an extra full-resolution (stride 1) convolution before the strided stem; 0: none.
    vision_stem: int = 0
    # Two streams: the convolutional trunk sees luma only (shape, colour-blind) and a per-pixel
    # colour stream of this many channels joins it at the attention pooling; 0: one RGB trunk.
    colour_stream: int = 0
    mean: tuple = (0.48145466, 0.4578275, 0.40821073)
    std: tuple = (0.26862954, 0.26130258, 0.27577711)
    vision_heads: int = 4
    vocab_size: int = 512
    context_length: int = 32
    text_width: int = 128
    text_layers: int = 3
    text_heads: int = 4
    eot_id: int = 511

    def to_dict(self) -> dict:
        d = asdict(self)
        d["vision_widths"] = list(self.vision_widths)
        d["mean"] = list(self.mean)
        d["std"] = list(self.std)
        return d


def conv_bn(cin: int, cout: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class AttentionPool(nn.Module):
    """CLIP's attention pooling: the mean feature (plus position) queries every position."""

    def __init__(self, grid: int, width: int, heads: int, out_dim: int):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(grid * grid + 1, width) / width ** 0.5)
        self.heads = heads
        self.head_dim = width // heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)  # b, hw, c
        x = torch.cat([x.mean(dim=1, keepdim=True), x], dim=1) + self.pos
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q[:, :1]
        dh = self.head_dim
        q = q.reshape(b, 1, self.heads, dh).transpose(1, 2)
        k = k.reshape(b, -1, self.heads, dh).transpose(1, 2)
        v = v.reshape(b, -1, self.heads, dh).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * dh ** -0.5
        y = (att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, self.heads * dh)
        return self.out(y)


class VisionEncoder(nn.Module):
    def __init__(self, cfg: ClipConfig):
        super().__init__()
        w = cfg.vision_widths
        self.colour_stream = cfg.colour_stream
        cin = 1 if cfg.colour_stream else 3
        # A full-resolution first layer keeps the outline of small shapes (about 10 px across).
        layers = [conv_bn(cin, cfg.vision_stem, 1)] if cfg.vision_stem else []
        layers.append(conv_bn(cfg.vision_stem or cin, w[0], 2))  # 64 -> 32
        cin = w[0]
        for cout in w[1:]:  # each stage halves the grid: 32 -> 16 -> 8 -> 4
            layers += [conv_bn(cin, cout, 2), conv_bn(cout, cout, 1)]
            cin = cout
        self.body = nn.Sequential(*layers)
        grid = cfg.image_size // 2 ** len(w)
        if cfg.colour_stream:
            # Input is normalised per channel; undo that, then BT.601 luma, re-centred.
            std = torch.tensor(cfg.std).view(1, 3, 1, 1)
            mean = torch.tensor(cfg.mean).view(1, 3, 1, 1)
            luma = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
            self.register_buffer("luma_w", luma * std / 0.25, persistent=False)
            self.register_buffer("luma_b", (((luma * mean).sum() - 0.5) / 0.25).view(1), persistent=False)
            c = cfg.colour_stream
            # Per-pixel colour features (1x1 convolutions), averaged over each cell of the trunk's grid:
            # roughly "how much of each learned colour is in this cell", blind to shape.
            # Run at half resolution: full-resolution 1x1 convolutions over a batch cost more
            # memory traffic than the whole trunk.
            self.colour = nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(3, c, 1), nn.ReLU(inplace=True), nn.Conv2d(c, c, 1),
                                        nn.ReLU(inplace=True), nn.AvgPool2d(cfg.image_size // 2 // grid))
            cin += c
        self.pool = AttentionPool(grid, cin, cfg.vision_heads, cfg.embed_dim)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        if not self.colour_stream:
            return self.pool(self.body(image))
        luma = (image * self.luma_w).sum(dim=1, keepdim=True) + self.luma_b
        # Shape and colour meet only in the pooling's linear maps, so a colour-shape pair never seen
        # together still gets the sum of what each part contributes.
        return self.pool(torch.cat([self.body(luma), self.colour(image)], dim=1))


class Block(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class TextEncoder(nn.Module):
    def __init__(self, cfg: ClipConfig):
        super().__init__()
        self.eot_id = cfg.eot_id
        self.tok = nn.Embedding(cfg.vocab_size, cfg.text_width)
        nn.init.normal_(self.tok.weight, std=0.02)  # as CLIP; tokens never seen in training stay small
        self.pos = nn.Parameter(torch.randn(cfg.context_length, cfg.text_width) * 0.01)
        self.blocks = nn.ModuleList([Block(cfg.text_width, cfg.text_heads) for _ in range(cfg.text_layers)])
        self.ln = nn.LayerNorm(cfg.text_width)
        self.proj = nn.Linear(cfg.text_width, cfg.embed_dim, bias=False)
        # Causal mask as in CLIP: a token attends only to itself and earlier tokens.
        mask = torch.full((cfg.context_length, cfg.context_length), float("-inf")).triu(1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        n = text.shape[1]
        x = self.tok(text) + self.pos[:n]
        for blk in self.blocks:
            x = blk(x, self.mask[:n, :n])
        x = self.ln(x)
        # First end-of-text position (padding may reuse the same id, so not argmax of ids).
        eot = (text == self.eot_id).to(torch.int32).argmax(dim=-1)
        x = x[torch.arange(x.shape[0]), eot]
        return self.proj(x)


class Clip(nn.Module):
    def __init__(self, cfg: ClipConfig):
        super().__init__()
        self.cfg = cfg
        self.visual = VisionEncoder(cfg)
        self.textual = TextEncoder(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, image: torch.Tensor, text: torch.Tensor):
        i = F.normalize(self.visual(image), dim=-1)
        t = F.normalize(self.textual(text), dim=-1)
        return i, t, self.logit_scale.exp().clamp(max=100.0)


def clip_loss(i: torch.Tensor, t: torch.Tensor, scale: torch.Tensor, partial: torch.Tensor | None = None,
              soft: float = 0.0, place_only: torch.Tensor | None = None) -> torch.Tensor:
    """Symmetric cross-entropy over the N x N cosine-similarity matrix (CLIP Figure 3).

    With `partial` (weights [N captions, N images], from partial_matches) and `soft` > 0, a caption's
    target is no longer its own image alone: up to a share `soft` of it is spread, by those weights,
    over the other images that show the objects it names (and likewise an image's over such captions), so "a red circle"
    is taught to rank a picture of three red circles above a picture of one red square. The plain
    loss leaves that order to chance, and our model put the count first (models/README.md).
    Multi-positive targets as in supervised contrastive learning (Khosla et al. 2020).
    A caption that names only the place (`place_only`, bool [N]) is as true of every image of that
    place: its target is spread evenly over them, its own image included.
    """
    logits = scale * i @ t.t()
    labels = torch.arange(i.shape[0])
    if partial is None or soft <= 0:
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    m = partial.float()
    return (F.cross_entropy(logits, image_targets(m, soft, place_only)) + F.cross_entropy(logits.t(), caption_targets(m, soft, place_only))) / 2


def image_targets(partial: torch.Tensor, soft: float, place_only: torch.Tensor | None = None) -> torch.Tensor:
    """Each image's target over the captions: soft_targets over the captions that partly match it,
    leaving out other samples' captions of the place alone. Every image of a place matches those,
    and as targets they drew the images towards their place: colour × shape fell 2-6 points on dev with
    them (runs s5, s6 in models/README.md)."""
    if place_only is not None:
        partial = partial * (~place_only).float().unsqueeze(1)
    return soft_targets(partial.t(), soft)


def caption_targets(partial: torch.Tensor, soft: float, place_only: torch.Tensor | None = None) -> torch.Tensor:
    """Each caption's target over the images: soft_targets, but even over its own image and its
    matches for a caption of the place alone."""
    targets = soft_targets(partial, soft)
    if place_only is None:
        return targets
    even = (partial + torch.eye(len(partial))) / (partial.sum(dim=1, keepdim=True) + 1)
    return torch.where(place_only.unsqueeze(1), even, targets)


def soft_targets(partial: torch.Tensor, soft: float) -> torch.Tensor:
    """Target distributions, one per row: partial[r, c] is how much column c partly matches row r.
    Each partial match gets soft * weight / max(1, the row's total weight), the row's own sample the
    rest, so a few weak matches (another place) take less than the whole share."""
    k = partial.sum(dim=1, keepdim=True)
    return torch.eye(partial.shape[0]) * (1 - soft * k.clamp(max=1)) + soft * partial / k.clamp(min=1)


def partial_matches(named: torch.Tensor, shown: torch.Tensor, backgrounds: torch.Tensor, grey: torch.Tensor,
                    n_shapes: int, n_classes: int, other_place: float = 0.0) -> torch.Tensor:
    """float [N, N]: [c, j] > 0 when image j (j != c) shows every object caption c names; 1 in the
    same place, `other_place` elsewhere (0 for a caption that names no object, only the place).

    named, shown: int [N, 2], the colour × shape classes (colour-major, n_shapes per colour) that each
    sample's caption names and that its image shows, -1 for none (they differ where train.py gave a
    sample a caption of its place alone); backgrounds: int [N]. A greyscale sample's caption has no
    colour words, so it names shapes, and its image shows shapes only. Counts and sizes are left out on
    purpose: a caption naming a red circle on the beach partly matches any beach picture with red
    circles in it. The place weighs more: most captions name it, and with other places counted
    alike the background words lost their meaning (run s2 in models/README.md).
    """
    def class_sets(groups: torch.Tensor) -> torch.Tensor:  # [N, n_classes] 0/1
        one_hot = F.one_hot(groups.clamp(min=0), n_classes).float() * (groups >= 0).float().unsqueeze(-1)
        return one_hot.sum(dim=1).clamp(max=1)

    def shape_sets(classes: torch.Tensor) -> torch.Tensor:  # [N, n_shapes] 0/1
        return classes.view(-1, n_classes // n_shapes, n_shapes).amax(dim=1)

    says, has = class_sets(named), class_sets(shown)
    has_in_colour = has * (~grey).float().unsqueeze(-1)  # a grey image shows no colour
    named_classes = says @ has_in_colour.t() >= says.sum(dim=1, keepdim=True)  # colour captions
    named_shapes = shape_sets(says) @ shape_sets(has).t() >= shape_sets(says).sum(dim=1, keepdim=True)  # greyscale captions
    match = torch.where(grey.unsqueeze(1), named_shapes, named_classes) & ~torch.eye(len(grey), dtype=torch.bool)
    same_place = backgrounds.unsqueeze(1) == backgrounds.unsqueeze(0)
    names_objects = (named >= 0).any(dim=1).unsqueeze(1)
    elsewhere = torch.where(names_objects, other_place, 0.0)
    return match.float() * torch.where(same_place, 1.0, elsewhere)
