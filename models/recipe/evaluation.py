"""Zero-shot and retrieval metrics on the held-out splits, used for the periodic log while training."""
from __future__ import annotations

import torch
import torch.nn.functional as F


@torch.no_grad()
def embed_images(model, ds, images_u8: torch.Tensor, batch: int = 512) -> torch.Tensor:
    out = [F.normalize(model.visual(ds.to_input(images_u8[i:i + batch])), dim=-1) for i in range(0, len(images_u8), batch)]
    return torch.cat(out)


@torch.no_grad()
def embed_texts(model, ids: torch.Tensor, batch: int = 1024) -> torch.Tensor:
    out = [F.normalize(model.textual(ids[i:i + batch]), dim=-1) for i in range(0, len(ids), batch)]
    return torch.cat(out)


@torch.no_grad()
def class_embeddings(model, prompt_ids: torch.Tensor, n_classes: int) -> torch.Tensor:
    """Prompt ensembling: mean of the normalised template embeddings, renormalised (CLIP 3.1.4)."""
    t = embed_texts(model, prompt_ids)
    t = t.view(n_classes, -1, t.shape[-1])
    return F.normalize(t.mean(dim=1), dim=-1)


@torch.no_grad()
def evaluate(model, ds, heldout, generic, n_object_classes: int, n_backgrounds: int) -> dict:
    was_training = model.training
    model.eval()
    objects = class_embeddings(model, ds.prompts("object"), n_object_classes)
    backgrounds = class_embeddings(model, ds.prompts("background"), n_backgrounds)
    h = embed_images(model, ds, heldout.images)
    obj_acc = ((h @ objects.t()).argmax(-1) == heldout.labels["objectClass"]).float().mean().item()
    g = embed_images(model, ds, generic.images)
    bg_acc = ((g @ backgrounds.t()).argmax(-1) == generic.labels["background"]).float().mean().item()
    t = embed_texts(model, generic.text[:, 0])
    sims = t @ g.t()  # text → image
    ranks = (sims > sims.diag().unsqueeze(1)).sum(dim=1)
    model.train(was_training)
    return {
        "heldout_zero_shot_top1": obj_acc,
        "background_top1": bg_acc,
        "t2i_recall@1": (ranks < 1).float().mean().item(),
        "t2i_recall@5": (ranks < 5).float().mean().item(),
    }
