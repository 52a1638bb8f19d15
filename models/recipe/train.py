"""Trains shoebox-mini, a small CLIP (Radford et al. 2021), on the synthetic dataset from build-dataset.ts.

Contrastive pre-training as in the paper: a batch of N (image, caption) pairs, both encoders, L2-
normalised embeddings, N x N cosine similarities scaled by a learned temperature (init 1/0.07,
clamped at 100), symmetric cross-entropy. AdamW with decoupled weight decay on weights only,
linear warm-up then cosine decay. Sized to train on 2 CPU cores in under half an hour.

  python3 models/recipe/train.py --data .cache/dataset --out .cache/run   # the bundled model's settings
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import augment  # noqa: E402
from data import Dataset  # noqa: E402
from evaluation import evaluate  # noqa: E402
from model import Clip, ClipConfig, clip_loss, partial_matches  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="dataset folder written by build-dataset.ts")
    p.add_argument("--out", required=True, help="folder for checkpoint.pt and log.jsonl")
    p.add_argument("--steps", type=int, default=0, help="number of steps (0: as many as --max-minutes allows)")
    p.add_argument("--max-minutes", type=float, default=28.0, help="wall-clock budget for the training loop")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--text-width", type=int, default=128)
    p.add_argument("--text-layers", type=int, default=2)
    p.add_argument("--vision-widths", default="32,64,96,128")
    p.add_argument("--vision-stem", type=int, default=16, help="channels of a stride-1 first convolution (0: none)")
    p.add_argument("--colour-stream", type=int, default=32,
                   help="channels of a separate per-pixel colour stream; the trunk then sees luma only (0: RGB trunk)")
    p.add_argument("--grey-prob", type=float, default=0.25,
                   help="share of samples shown in greyscale with their colour-free caption (train.text-grey.i32)")
    p.add_argument("--bf16", action="store_true",
                   help="bfloat16 autocast for the forward pass, weights and optimizer kept in float32: 2.2-2.5x faster "
                        "steps on CPUs with bfloat16 units (measured on an Intel Xeon with AMX and an AMD EPYC with AVX-512 BF16; "
                        "bench_step.py --bf16 compares on yours)")
    p.add_argument("--ema", type=float, default=0.0,
                   help="also keep an exponential moving average of the weights and BatchNorm statistics with this decay "
                        "per step (e.g. 0.999), written to checkpoint-ema.pt beside checkpoint.pt (0: none)")
    p.add_argument("--soft-targets", type=float, default=0.0,
                   help="share of each caption's (and image's) target spread over the other images (captions) of the "
                        "batch showing the same colour-shape pairs, whatever their count or size (weighted by --soft-other-place) "
                        "(model.py's clip_loss; needs a dataset with group labels; 0: CLIP's one-hot targets)")
    p.add_argument("--soft-other-place", type=float, default=0.0,
                   help="with --soft-targets, the weight of an image showing the caption's objects on another "
                        "background, against 1 for the same background (0: same background only)")
    p.add_argument("--place-captions", type=float, default=0.0,
                   help="share of samples whose caption names only their place (\"a photo on the beach\", "
                        "build-dataset.ts's places.text.i32), its target spread evenly over the batch's images of that "
                        "place; needs --soft-targets (0: none)")
    p.add_argument("--augment", type=float, default=0.0,
                   help="share of samples given augment.py's zoom, shift, blur, tone and noise (0: none)")
    return p.parse_args(argv)


def param_groups(model: torch.nn.Module, weight_decay: float):
    """Weight decay on matrices and kernels only, not on gains, biases, embeddings or the temperature."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        is_matrix = p.ndim >= 2 and "pos" not in name and ".tok." not in name
        (decay if is_matrix else no_decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def lr_at(step: int, progress: float, base: float, warmup: int) -> float:
    """Linear warm-up over `warmup` steps, then cosine decay to 0 as progress goes 0 → 1."""
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


# Google's tcmalloc (Debian: libtcmalloc-minimal4), where installed. With glibc's malloc every step
# maps and unmaps its large activation buffers, and a third of the CPU time went to the kernel;
# see models/README.md for the figures.
TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def with_tcmalloc() -> None:
    """Re-runs this command line (interpreter flags included) with tcmalloc preloaded: once, and not
    where it is absent, already loaded, or SHOEBOX_TRAIN_MALLOC=glibc asks for glibc's malloc."""
    preload = os.environ.get("LD_PRELOAD", "")
    if "tcmalloc" in preload or not os.path.exists(TCMALLOC) or os.environ.get("SHOEBOX_TRAIN_MALLOC") == "glibc":
        return
    env = {**os.environ, "LD_PRELOAD": f"{TCMALLOC} {preload}".strip()}
    os.execve(sys.executable, sys.orig_argv, env)


def main(argv=None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    ds = Dataset(args.data)
    train = ds.split("train")
    if args.grey_prob > 0 and train.text_grey is None:
        sys.exit(f"{args.data}/train.text-grey.i32 is missing (rebuild the dataset with build-dataset.ts) or pass --grey-prob 0")
    if args.soft_targets > 0 and ("background" not in train.labels or "objectShapes" not in ds.meta):
        sys.exit(f"{args.data} has no group labels or shape count (rebuild with build-dataset.ts, --text-only is enough) "
                 "or pass --soft-targets 0")
    places = None
    if args.place_captions > 0:
        places_file = os.path.join(args.data, "places.text.i32")
        if args.soft_targets <= 0 or not os.path.exists(places_file):
            sys.exit(f"--place-captions needs --soft-targets and {places_file} (rebuild with build-dataset.ts, --text-only is enough)")
        ids = torch.from_numpy(np.fromfile(places_file, dtype=np.int32).astype(np.int64))
        places = ids.view(ds.meta["backgroundClasses"], -1, ds.context_length)
    heldout = ds.split("heldout")
    generic = ds.split("generic")
    meta = ds.meta
    cfg = ClipConfig(
        image_size=ds.image_size,
        vision_widths=tuple(int(w) for w in args.vision_widths.split(",")),
        vision_stem=args.vision_stem,
        colour_stream=args.colour_stream,
        mean=tuple(meta["mean"]),
        std=tuple(meta["std"]),
        vocab_size=meta["vocabSize"],
        context_length=ds.context_length,
        text_width=args.text_width,
        text_layers=args.text_layers,
        eot_id=meta["eotId"],
    )
    model = Clip(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(param_groups(model, args.weight_decay), lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    # Weight averaging (Izmailov et al. 2018, SWA; Arpit et al. 2022 for robustness to a domain shift):
    # the average of the last steps' weights, kept beside the trained ones so one run measures both.
    ema = None
    if args.ema > 0:
        decay = args.ema
        ema = torch.optim.swa_utils.AveragedModel(model, avg_fn=lambda avg, new, _n: decay * avg + (1 - decay) * new,
                                                  use_buffers=True)
    log = open(os.path.join(args.out, "log.jsonl"), "w")

    def emit(record: dict) -> None:
        print(json.dumps(record), flush=True)
        log.write(json.dumps(record) + "\n")
        log.flush()

    emit({"event": "start", "params": n_params, "train_images": len(train), "captions_per_image": train.text.shape[1],
          "config": cfg.to_dict(), "args": vars(args),
          "malloc": "tcmalloc" if "tcmalloc" in os.environ.get("LD_PRELOAD", "") else "glibc"})

    def save(step: int, metrics: dict, weights: torch.nn.Module = model, name: str = "checkpoint.pt") -> None:
        tmp = os.path.join(args.out, name + ".tmp")
        torch.save({"config": cfg.to_dict(), "state_dict": weights.state_dict(), "step": step, "metrics": metrics,
                    "dataset": meta}, tmp)
        os.replace(tmp, os.path.join(args.out, name))

    n_obj = meta["objectClasses"]
    n_bg = meta["backgroundClasses"]
    gen = torch.Generator().manual_seed(args.seed)
    total = args.steps if args.steps > 0 else 10 ** 9
    budget_s = args.max_minutes * 60
    t_start = time.time()
    step_times = []
    metrics: dict = {}
    step = 0
    model.train()
    while step < total:
        t0 = time.time()
        idx = torch.randint(0, len(train), (args.batch,), generator=gen)
        cap = torch.randint(0, train.text.shape[1], (args.batch,), generator=gen)
        pixels = train.images[idx]
        grey = torch.rand(args.batch, generator=gen) < args.grey_prob
        if args.grey_prob > 0:
            # ITU-R BT.601 luma, the usual greyscale conversion.
            luma = (pixels[grey].float() @ torch.tensor([0.299, 0.587, 0.114])).round().clamp(0, 255).to(torch.uint8)
            pixels[grey] = luma.unsqueeze(-1).expand(-1, -1, -1, 3)
        images = ds.to_input(pixels, lambda x: augment(x, args.augment, gen) if args.augment > 0 else x)
        flip = torch.rand(args.batch, generator=gen) < 0.5  # shapes and captions are mirror-invariant
        images[flip] = images[flip].flip(-1)
        text = train.text[idx, cap]
        if args.grey_prob > 0:
            text[grey] = train.text_grey[idx[grey], cap[grey]]
        place_only = None
        if places is not None:
            place_only = torch.rand(args.batch, generator=gen) < args.place_captions
            bg = train.labels["background"][idx[place_only]]
            text[place_only] = places[bg, torch.randint(0, places.shape[1], (len(bg),), generator=gen)]
        # Causal attention: tokens after the end token cannot change its feature, so drop the
        # all-padding tail of the batch (same result, less work).
        eot_pos = (text == cfg.eot_id).to(torch.int32).argmax(dim=-1)
        text = text[:, : int(eot_pos.max()) + 1]
        # With --steps the schedule follows steps; otherwise wall-clock time, so the cosine ends on
        # budget however busy the shared machine is (the step count reached is logged).
        if args.steps > 0:
            progress = max(0, step - args.warmup) / max(1, args.steps - args.warmup)
        else:
            progress = (time.time() - t_start) / budget_s
        for g in opt.param_groups:
            g["lr"] = lr_at(step, progress, args.lr, args.warmup)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            i, t, scale = model(images, text)
        partial = None
        if args.soft_targets > 0:
            shown = torch.stack([train.labels["group0Class"][idx], train.labels["group1Class"][idx]], dim=1)
            named = shown if place_only is None else torch.where(place_only.unsqueeze(1), -1, shown)
            partial = partial_matches(named, shown, train.labels["background"][idx], grey, meta["objectShapes"], n_obj,
                                      args.soft_other_place)
        loss = clip_loss(i.float(), t.float(), scale, partial, args.soft_targets, place_only)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if ema is not None:
            ema.update_parameters(model)
        step += 1
        step_times.append(time.time() - t0)
        last = step == total or time.time() - t_start > budget_s
        if step % 10 == 0 or last:
            emit({"step": step, "loss": round(loss.item(), 4), "lr": opt.param_groups[0]["lr"],
                  "temp": round(scale.item(), 2), "elapsed_s": round(time.time() - t_start, 1)})
        if step % args.eval_every == 0 or last:
            metrics = evaluate(model, ds, heldout, generic, n_obj, n_bg)
            emit({"event": "eval", "step": step, **{k: round(v, 4) for k, v in metrics.items()}})
            save(step, metrics)
        if last:
            break
    save(step, metrics)
    minutes = round((time.time() - t_start) / 60, 2)
    if ema is not None:
        ema_metrics = evaluate(ema.module, ds, heldout, generic, n_obj, n_bg)
        emit({"event": "eval-ema", "step": step, **{k: round(v, 4) for k, v in ema_metrics.items()}})
        save(step, ema_metrics, ema.module, "checkpoint-ema.pt")
    emit({"event": "done", "steps": step, "minutes": minutes, "step_time_s": round(float(np.median(step_times)), 3),
          **metrics})


if __name__ == "__main__":
    with_tcmalloc()
    main()
