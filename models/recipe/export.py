"""Exports a trained shoebox-mini checkpoint to the app's model folder format (docs/DESIGN.md, "Model folders"):

  config.json, visual/model.onnx (image float32 [b,3,S,S] -> embedding), visual/preprocess_cfg.json,
  textual/model.onnx (text int64 [b,ctx] -> embedding), textual/tokenizer*.json (already written by
  train-tokenizer.ts), manifest.json (files with sha256 and size); plus the parity fixture
  test/fixtures/parity/ (PNG images, texts, PyTorch embeddings) that the TypeScript tests compare with.

  python3 models/recipe/export.py --checkpoint .cache/run/checkpoint.pt --data .cache/dataset --out models/shoebox-mini
  python3 models/recipe/export.py --vit-b32-random --out .cache/vit-b32-random   # speed benchmarks only

--vit-b32-random also writes the same weights (seed 0) in the other layouts the benchmarks compare:
  --layout immich-b1 --out .cache/vit-b32-random-b1   Immich's layout, the image tower's batch fixed at 1
  --layout hf --out .cache/vit-b32-random-hf          Hugging Face / Transformers.js (onnx/vision_model.onnx …)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Clip, ClipConfig  # noqa: E402

OPSET = 14
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


class Visual(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.model.visual(image)


class Textual(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        return self.model.textual(text)


def export_onnx(module: nn.Module, example: torch.Tensor, input_name: str, path: str,
                output_name: str = "embedding", dynamic_batch: bool = True) -> None:
    """Without dynamic_batch the batch axis keeps the example's size (as Immich publishes its image towers)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    # Traced with autograd on: under no_grad, nn.MultiheadAttention without a mask takes its fused
    # inference kernel, which the ONNX exporter of torch 1.13 cannot translate.
    torch.onnx.export(
        module, (example,), path, input_names=[input_name], output_names=[output_name],
        dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}} if dynamic_batch else None,
        opset_version=OPSET, do_constant_folding=True,
    )


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_json(path: str, value) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def write_model_folder(out: str, model: Clip, cfg: ClipConfig, manifest: dict, extra_config: dict) -> None:
    s = cfg.image_size
    export_onnx(Visual(model), torch.zeros(2, 3, s, s), "image", os.path.join(out, "visual", "model.onnx"))
    text = torch.zeros(2, cfg.context_length, dtype=torch.int64)
    text[:, 0] = cfg.eot_id - 1
    text[:, 1] = cfg.eot_id
    export_onnx(Textual(model), text, "text", os.path.join(out, "textual", "model.onnx"))
    write_json(os.path.join(out, "visual", "preprocess_cfg.json"), {
        "size": [s, s], "mode": "RGB", "mean": MEAN, "std": STD,
        "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0,
    })
    write_json(os.path.join(out, "config.json"), {
        "embed_dim": cfg.embed_dim,
        "vision_cfg": {"image_size": s, **extra_config.get("vision_cfg", {})},
        "text_cfg": {"context_length": cfg.context_length, "vocab_size": cfg.vocab_size, "width": cfg.text_width,
                     "heads": cfg.text_heads, "layers": cfg.text_layers},
    })
    files = []
    for root, _, names in os.walk(out):
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, out)
            if rel == "manifest.json" or not (rel in ("config.json",) or rel.startswith(("visual/", "textual/"))):
                continue
            files.append({"path": rel, "sha256": sha256(path), "size": os.path.getsize(path)})
    files.sort(key=lambda f: f["path"])
    write_json(os.path.join(out, "manifest.json"), {**manifest, "files": files})
    total = sum(f["size"] for f in files)
    print(f"wrote {out}: {len(files)} files, {total / 1e6:.2f} MB")


def parity_fixture(model: Clip, data: str, fixture: str, model_dir: str, n_images: int = 6) -> None:
    """PNG images already at the model size (so resizing is the identity and the TypeScript path sees
    the same pixels), caption texts, and the PyTorch embeddings of both."""
    from PIL import Image

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from data import Dataset

    ds = Dataset(data)
    generic = ds.split("generic")
    captions = generic.meta["captions"][:n_images]
    shutil.rmtree(fixture, ignore_errors=True)
    os.makedirs(fixture)
    images = generic.images[:n_images]
    names = []
    for k in range(n_images):
        name = f"image-{k}.png"
        Image.fromarray(images[k].numpy()).save(os.path.join(fixture, name))
        names.append(name)
    texts = [c[0] for c in captions] + ["a photo of a red star.", "A PHOTO OF TWO BLUE CIRCLES AT NIGHT"]
    model.eval()
    with torch.no_grad():
        img_emb = model.visual(ds.to_input(images))
        ids = torch.tensor(tokenize_with_app(texts, data, model_dir), dtype=torch.int64)
        txt_emb = model.textual(ids)
    write_json(os.path.join(fixture, "parity.json"), {
        "images": [{"file": n, "embedding": e.tolist()} for n, e in zip(names, img_emb)],
        "texts": [{"text": t, "ids": i.tolist(), "embedding": e.tolist()} for t, i, e in zip(texts, ids, txt_emb)],
    })
    print(f"wrote parity fixture {fixture}: {n_images} images, {len(texts)} texts")


def tokenize_with_app(texts: list[str], data: str, model_dir: str) -> list[list[int]]:
    """Token ids from the TypeScript tokenizer (the one the app runs), via tsx."""
    import subprocess

    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    meta = json.load(open(os.path.join(data, "meta.json")))
    out = subprocess.run(
        ["npx", "tsx", "models/recipe/tokenize-cli.ts", "--model", os.path.abspath(model_dir),
         "--context-length", str(meta["contextLength"])],
        input=json.dumps(texts), capture_output=True, text=True, cwd=root, check=True,
    )
    return json.loads(out.stdout)


# Layout -> model id: the same weights, told apart in a library.
LAYOUTS = {"immich": "vit-b32-random", "immich-b1": "vit-b32-random-b1", "hf": "vit-b32-random-hf"}


def vit_b32_random(out: str, layout: str = "immich") -> None:
    """An untrained network with CLIP ViT-B/32's exact shapes, for inference-speed benchmarks only;
    the same weights (seed 0) in whichever layout is asked for."""
    from vit import ViTClip

    src = os.path.join(os.path.dirname(__file__), "..", "shoebox-mini", "textual")
    # The bundled tokenizer's end-of-text id (< 49408), so the text feature is read where it lands.
    vocab = json.load(open(os.path.join(src, "tokenizer.json")))["model"]["vocab"]
    eot = vocab["<|endoftext|>"]
    torch.manual_seed(0)
    model = ViTClip(eot_id=eot).eval()
    text = torch.zeros(2, 77, dtype=torch.int64)
    text[:, 1] = eot
    tok_cfg = json.load(open(os.path.join(src, "tokenizer_config.json")))
    tok_cfg["model_max_length"] = 77
    if layout == "hf":
        tok_dir = out
        export_onnx(Visual(model), torch.zeros(2, 3, 224, 224), "pixel_values",
                    os.path.join(out, "onnx", "vision_model.onnx"), "image_embeds")
        export_onnx(Textual(model), text, "input_ids", os.path.join(out, "onnx", "text_model.onnx"), "text_embeds")
        write_hf_configs(out, bos=vocab["<|startoftext|>"], eot=eot)
    else:
        tok_dir = os.path.join(out, "textual")
        fixed = layout == "immich-b1"
        export_onnx(Visual(model), torch.zeros(1 if fixed else 2, 3, 224, 224), "image",
                    os.path.join(out, "visual", "model.onnx"), dynamic_batch=not fixed)
        export_onnx(Textual(model), text, "text", os.path.join(tok_dir, "model.onnx"))
        write_json(os.path.join(out, "visual", "preprocess_cfg.json"), {
            "size": [224, 224], "mode": "RGB", "mean": MEAN, "std": STD,
            "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0,
        })
        write_json(os.path.join(out, "config.json"), {
            "embed_dim": 512,
            "vision_cfg": {"image_size": 224, "layers": 12, "width": 768, "patch_size": 32},
            "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12},
        })
    shutil.copy(os.path.join(src, "tokenizer.json"), os.path.join(tok_dir, "tokenizer.json"))
    write_json(os.path.join(tok_dir, "tokenizer_config.json"), tok_cfg)
    write_json(os.path.join(out, "manifest.json"), {
        "id": LAYOUTS[layout], "displayName": f"ViT-B/32 shapes, untrained, {layout} layout (benchmarks only)",
        "source": f"models/recipe/export.py --vit-b32-random --layout {layout}", "license": "MIT", "files": [],
    })
    print(f"wrote {out} (untrained, ViT-B/32 shapes, {layout} layout, eot {eot})")


def write_hf_configs(out: str, bos: int, eot: int) -> None:
    """transformers' CLIPConfig and CLIPImageProcessor settings for ViT-B/32, as openai/clip-vit-base-patch32 has them."""
    write_json(os.path.join(out, "config.json"), {
        "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 512, "logit_scale_init_value": 2.6592,
        "text_config": {
            "model_type": "clip_text_model", "vocab_size": 49408, "hidden_size": 512, "intermediate_size": 2048,
            "num_attention_heads": 8, "num_hidden_layers": 12, "max_position_embeddings": 77, "hidden_act": "quick_gelu",
            "projection_dim": 512, "bos_token_id": bos, "eos_token_id": eot, "pad_token_id": eot,
        },
        "vision_config": {
            "model_type": "clip_vision_model", "hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
            "num_hidden_layers": 12, "image_size": 224, "patch_size": 32, "num_channels": 3, "hidden_act": "quick_gelu",
            "projection_dim": 512,
        },
    })
    write_json(os.path.join(out, "preprocessor_config.json"), {
        "image_processor_type": "CLIPImageProcessor", "processor_class": "CLIPProcessor",
        "do_resize": True, "size": {"shortest_edge": 224}, "resample": 3,
        "do_center_crop": True, "crop_size": {"height": 224, "width": 224},
        "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": MEAN, "image_std": STD,
        "do_convert_rgb": True,
    })


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", help="checkpoint.pt written by train.py")
    p.add_argument("--data", help="dataset folder (for the parity fixture)")
    p.add_argument("--out", default="models/shoebox-mini")
    p.add_argument("--fixture", default="test/fixtures/parity")
    p.add_argument("--vit-b32-random", action="store_true")
    p.add_argument("--layout", choices=list(LAYOUTS), default="immich",
                   help="with --vit-b32-random: immich, immich-b1 (image batch fixed at 1) or hf")
    args = p.parse_args()
    torch.set_num_threads(2)
    if args.layout != "immich" and not args.vit_b32_random:
        p.error("--layout is for --vit-b32-random only (a trained checkpoint is written in Immich's layout)")
    if args.vit_b32_random:
        vit_b32_random(args.out, args.layout)
        return
    if not args.checkpoint:
        p.error("--checkpoint is required")
    ckpt = torch.load(args.checkpoint, map_location="cpu")
    c = dict(ckpt["config"])
    c["vision_widths"] = tuple(c["vision_widths"])
    cfg = ClipConfig(**c)
    model = Clip(cfg)
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    manifest = {
        "id": "shoebox-mini",
        "displayName": "Shoebox mini (synthetic scenes)",
        "source": "trained by models/recipe (see models/README.md)",
        "license": "MIT",
        "trainingSteps": ckpt["step"],
        "metricsAtCheckpoint": ckpt.get("metrics", {}),
    }
    meta_file = os.path.join(args.data, "meta.json") if args.data else None
    if meta_file and os.path.exists(meta_file):
        # The classes the model was trained to tell apart: the fine-tuning job's forgetting probe.
        manifest["probePrompts"] = json.load(open(meta_file))["probePrompts"]
    write_model_folder(args.out, model, cfg, manifest, {"vision_cfg": {"widths": list(cfg.vision_widths)}})
    if args.data:
        parity_fixture(model, args.data, args.fixture, args.out)


if __name__ == "__main__":
    main()
