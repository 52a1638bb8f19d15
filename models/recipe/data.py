"""Reads the dataset folder written by build-dataset.ts (raw little-endian arrays + JSON metadata)."""
from __future__ import annotations

import json
import os

import numpy as np
import torch


class Split:
    """One split: uint8 HWC images [n, s, s, 3], int32 token ids [n, k, ctx] (may be absent) and labels."""

    def __init__(self, folder: str, name: str, image_size: int, context_length: int):
        with open(os.path.join(folder, f"{name}.json")) as f:
            self.meta = json.load(f)
        n = self.meta["n"]
        img = np.fromfile(os.path.join(folder, f"{name}.images.u8"), dtype=np.uint8)
        self.images = torch.from_numpy(img.reshape(n, image_size, image_size, 3))
        self.text = self._ids(folder, f"{name}.text.i32", n, context_length)
        self.text_grey = self._ids(folder, f"{name}.text-grey.i32", n, context_length)
        self.labels = {k: torch.tensor(v) for k, v in self.meta.get("labels", {}).items()}

    @staticmethod
    def _ids(folder: str, file: str, n: int, context_length: int):
        path = os.path.join(folder, file)
        if not os.path.exists(path):
            return None
        ids = np.fromfile(path, dtype=np.int32).astype(np.int64)
        return torch.from_numpy(ids.reshape(n, -1, context_length))

    def __len__(self) -> int:
        return self.images.shape[0]


class Dataset:
    def __init__(self, folder: str):
        with open(os.path.join(folder, "meta.json")) as f:
            self.meta = json.load(f)
        self.image_size = self.meta["imageSize"]
        self.context_length = self.meta["contextLength"]
        self.mean = torch.tensor(self.meta["mean"]).view(1, 3, 1, 1)
        self.std = torch.tensor(self.meta["std"]).view(1, 3, 1, 1)
        self.folder = folder

    def split(self, name: str) -> Split:
        return Split(self.folder, name, self.image_size, self.context_length)

    def prompts(self, name: str) -> torch.Tensor:
        ids = np.fromfile(os.path.join(self.folder, f"prompts.{name}.i32"), dtype=np.int32).astype(np.int64)
        return torch.from_numpy(ids.reshape(-1, self.context_length))

    def to_input(self, images_u8: torch.Tensor, transform=None) -> torch.Tensor:
        """uint8 HWC → normalised float32 CHW, as the app's preprocessing does; `transform` (on 0..1 values) first."""
        x = images_u8.permute(0, 3, 1, 2).float().div_(255.0)
        if transform is not None:
            x = transform(x)
        return (x - self.mean) / self.std
