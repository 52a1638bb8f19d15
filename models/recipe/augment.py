"""Training-time augmentation for shoebox-mini (issue 12): photometric and geometric changes drawn
per sample, on the 64 px float images in 0..1 before normalisation. Each keeps every caption true:
no hue change (the colour words: tone and noise are the same for the three channels, so greyscale
samples stay grey), zoom out and shift only ("small" and "large" stay far apart; the generator keeps
each object's bounding circle 3 % of the frame from the edge and the shift is at most 2 %, so only the
corners of a square can reach the frame's edge), no crop that could cut an object off.

  zoom out 0.8–1.0 and shift ±2 % of the frame (bilinear, border pixels repeated), so object
      sizes and positions vary beyond the generator's;
  blur: half the samples mixed towards a 3×3 box blur (up to fully blurred), as soft focus or a low-quality
      downscale would give;
  contrast 0.75–1.25 and brightness ±0.08, the same for all channels;
  Gaussian pixel noise up to σ = 0.04, the same for the three channels (luminance noise).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def _uniform(n: int, lo: float, hi: float, gen: torch.Generator) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=gen)


def zoom_out_and_shift(y: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Each output pixel samples the input at grid / s + shift (the -1..1 grid's units), s in 0.8..1."""
    k, size = y.shape[0], y.shape[-1]
    base = (torch.arange(size, dtype=torch.float32) * 2 + 1) / size - 1  # pixel centres
    scale = (1 / _uniform(k, 0.8, 1.0, gen)).view(k, 1, 1)
    gx = base.view(1, 1, size) * scale + _uniform(k, -0.04, 0.04, gen).view(k, 1, 1)
    gy = base.view(1, size, 1) * scale + _uniform(k, -0.04, 0.04, gen).view(k, 1, 1)
    grid = torch.stack([gx.expand(k, size, size), gy.expand(k, size, size)], dim=-1)
    return F.grid_sample(y, grid, mode="bilinear", padding_mode="border", align_corners=False)


def augment(x: torch.Tensor, prob: float, gen: torch.Generator) -> torch.Tensor:
    """x: [n, 3, s, s] in 0..1. Each sample is augmented with probability `prob` (all four changes)."""
    n = x.shape[0]
    on = torch.rand(n, generator=gen) < prob
    if not bool(on.any()):
        return x
    k = int(on.sum())
    y = zoom_out_and_shift(x[on], gen)
    # Blur: half the samples mixed towards a 3x3 box blur (avg_pool2d: much faster than a
    # depthwise conv on CPU; at the border it averages the pixels inside the frame only).
    blurred = F.avg_pool2d(y, 3, stride=1, padding=1, count_include_pad=False)
    a = (torch.rand(k, generator=gen) * (torch.rand(k, generator=gen) < 0.5)).view(k, 1, 1, 1)
    y = y + a * (blurred - y)
    # Tone, then noise: both the same for the three channels.
    c = _uniform(k, 0.75, 1.25, gen).view(k, 1, 1, 1)
    b = _uniform(k, -0.08, 0.08, gen).view(k, 1, 1, 1)
    y = (y - 0.5) * c + 0.5 + b
    sigma = _uniform(k, 0.0, 0.04, gen).view(k, 1, 1, 1)
    y = y + sigma * torch.randn((k, 1, *y.shape[2:]), generator=gen)
    out = x.clone()
    out[on] = y.clamp(0, 1)
    return out
