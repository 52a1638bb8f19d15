"""Times shoebox-mini training steps (batch 256, the shipped architecture, random data), side by side
in one run, each setting in its own process:

  python3 models/recipe/bench_step.py [--steps 8]          # glibc's malloc against tcmalloc
  python3 models/recipe/bench_step.py --bf16 [--rounds 3]  # float32 against train.py --bf16, with tcmalloc

Prints wall seconds per step and the user / kernel CPU seconds of the timed steps. train.py
preloads tcmalloc where it is installed (Debian: libtcmalloc-minimal4). With --bf16 the two
precisions take turns, --rounds times, so a neighbour's load on a shared machine falls on both.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import TCMALLOC  # noqa: E402


def measure(steps: int, bf16: bool) -> dict:
    import torch
    from model import Clip, ClipConfig, clip_loss

    torch.set_num_threads(2)
    torch.manual_seed(0)
    cfg = ClipConfig(vision_widths=(32, 64, 96, 128), vision_stem=16, colour_stream=32, vocab_size=434,
                     context_length=24, text_layers=2, eot_id=433)
    model = Clip(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    images = torch.randn(256, 3, 64, 64)
    # Full-length captions (train.py trims each batch to its longest caption, usually shorter).
    text = torch.randint(0, 433, (256, cfg.context_length))
    text[:, -1] = cfg.eot_id

    def step() -> None:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):  # as train.py --bf16
            i, t, s = model(images, text)
        loss = clip_loss(i.float(), t.float(), s)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    step()
    step()  # warm-up: first steps allocate and tune
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for _ in range(steps):
        step()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return {"wall_per_step_s": round((time.perf_counter() - t0) / steps, 3), "user_s": round(r1.ru_utime - r0.ru_utime, 1),
            "kernel_s": round(r1.ru_stime - r0.ru_stime, 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--bf16", action="store_true", help="compare float32 with bfloat16 autocast instead of the mallocs")
    p.add_argument("--rounds", type=int, default=1, help="times each setting runs, taking turns")
    p.add_argument("--child", choices=("float32", "bfloat16"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(measure(args.steps, args.child == "bfloat16")))
        return
    if not os.path.exists(TCMALLOC):
        sys.exit(f"{TCMALLOC} is missing: apt install libtcmalloc-minimal4")
    base_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    tcmalloc_env = {**base_env, "LD_PRELOAD": TCMALLOC}
    if args.bf16:
        settings = (("float32", "float32", tcmalloc_env), ("bfloat16", "bfloat16", tcmalloc_env))
    else:
        settings = (("glibc", "float32", base_env), ("tcmalloc", "float32", tcmalloc_env))
    for _ in range(args.rounds):
        for name, precision, env in settings:
            out = subprocess.run([sys.executable, __file__, "--child", precision, "--steps", str(args.steps)], env=env,
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"{name}: the timing run failed:\n{out.stderr}")
            print(name, out.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
