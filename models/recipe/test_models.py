"""Builds the test CLIP fixtures in test/fixtures/clip-layouts/: ONE randomly initialised CLIP with the
real architecture of Radford et al. 2021 (ViT image tower, causal text transformer, QuickGELU, feature
at the end-of-text token, linear projections), scaled down, exported with the SAME weights into the two
published folder layouts the app must load as published (docs/DESIGN.md, "Model folders"):

  immich/  Immich's layout (immich-app/<model>): config.json (open_clip model config),
           visual/model.onnx (+ model.onnx_data, weights as ONNX external data), image float32
           [1,3,224,224] -> embedding (normalised), visual/preprocess_cfg.json; textual/model.onnx
           text int32 [1,77] -> embedding (normalised), textual/tokenizer*.json, vocab.json, merges.txt,
           special_tokens_map.json (pad "!", id 0, as Immich writes it for OpenAI models). No manifest.
  hf/      Hugging Face / Transformers.js layout (as Xenova/clip-vit-base-patch32): config.json (CLIPConfig),
           preprocessor_config.json, tokenizer*.json at the root, onnx/vision_model.onnx pixel_values
           [batch,3,224,224] -> image_embeds, onnx/text_model.onnx input_ids + attention_mask int64
           [batch,sequence] -> text_embeds; both NOT normalised. No _quantized variant: Debian's python
           has no onnxruntime (so no onnxruntime.quantization) here.

plus a CLIP-format byte-level BPE tokenizer of our own (trained here on a small caption corpus), four
committed images, and reference.json: token ids from a faithful Python copy of the tokenizer pipeline
and embeddings computed by the PyTorch modules (not by the ONNX files), with CLIP's preprocessing done
in Python (PIL bicubic resize of the short side to 224, centre crop, /255, mean/std, CHW).

  /usr/bin/python3 models/recipe/test_models.py        # Debian's torch 1.13 + onnx 1.12 + PIL
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import unicodedata
from collections import Counter

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "clip-layouts")

# torch 1.13's exporter stops at opset 17 (Immich exports with 19; nothing here needs 18+).
OPSET = 17
SEED = 20240229
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]

IMAGE_SIZE = 224  # the real CLIP size, so the app's real preprocessing path is exercised
PATCH = 32
VISION_WIDTH = 64
VISION_LAYERS = 2
VISION_HEADS = 4
CONTEXT = 77
TEXT_WIDTH = 48
TEXT_LAYERS = 2
TEXT_HEADS = 4
EMBED_DIM = 32
N_MERGES = 400

SOT, EOT = "<|startoftext|>", "<|endoftext|>"

# ---------------------------------------------------------------------------------------------------
# Tokenizer: CLIP's pipeline (NFC, whitespace runs -> " ", lower case; split by CLIP's pattern;
# byte-level alphabet; BPE with "</w>" on the last symbol of each piece), our own merges.
# ---------------------------------------------------------------------------------------------------

# Unicode White_Space, what `\s` means in the Rust/JS regexes of the real tokenizer (Python's str.isspace
# also counts \x1c-\x1f, which the real one does not).
WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
WS_RUN = re.compile(f"[{WS}]+")
WS_CHAR = re.compile(f"[{WS}]")
# The same pattern CLIP's tokenizer.json carries; Python's `re` has no \p{..}, so split() below
# implements it by hand with unicodedata categories.
SPLIT_PATTERN = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]"
                 r"|[^\s\p{L}\p{N}]+")
CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def byte_alphabet() -> tuple[list[str], dict[int, str]]:
    """The 256 byte-level symbols in CLIP's order: printable Latin-1 bytes stand for themselves,
    the other bytes are shifted to U+0100 upwards so that no symbol is whitespace or a control."""
    keep = [b for b in range(256) if 33 <= b <= 126 or 161 <= b <= 172 or 174 <= b <= 255]
    shifted = [b for b in range(256) if b not in keep]
    table = {b: chr(b) for b in keep}
    table.update({b: chr(256 + i) for i, b in enumerate(shifted)})
    order = keep + shifted  # id order of CLIP's vocabulary: the kept bytes first
    return [table[b] for b in order], table


ALPHABET, BYTE_SYMBOL = byte_alphabet()


def is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def is_number(ch: str) -> bool:
    return unicodedata.category(ch).startswith("N")


def normalise(text: str) -> str:
    return WS_RUN.sub(" ", unicodedata.normalize("NFC", text)).lower()


def split(text: str) -> list[str]:
    """CLIP's split pattern, alternatives tried in order at each position, unmatched characters
    (whitespace only) dropped: Split(behavior Removed, invert true) in tokenizers' terms."""
    pieces, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        hit = next((s for s in (SOT, EOT) + CONTRACTIONS if text.startswith(s, i)), None)
        if hit is None:
            j = i + 1
            if is_letter(ch):
                while j < n and is_letter(text[j]):
                    j += 1
            elif is_number(ch):
                pass
            elif WS_CHAR.match(ch):
                i += 1
                continue
            else:
                while j < n and not (is_letter(text[j]) or is_number(text[j]) or WS_CHAR.match(text[j])):
                    j += 1
            hit = text[i:j]
        pieces.append(hit)
        i += len(hit)
    return pieces


def symbols(piece: str) -> list[str]:
    chars = [BYTE_SYMBOL[b] for b in piece.encode("utf-8")]
    return chars[:-1] + [chars[-1] + "</w>"]


# A small English caption corpus written for this fixture (photo captions, the words of the reference
# texts among them), so the merges make real sub-words and whole words.
CAPTIONS = """\
a photo of a dog.
a photo of a cat.
a photo of the beach at sunset.
a dog running on the beach.
a cat sleeping on a red sofa.
two dogs playing with a ball in the park.
the dog's ball is in the garden.
it's a sunny day at the beach.
a bowl of café crème and a croissant.
crème brûlée with a spoon on a white plate.
a close-up photo of a flower in the garden.
a group of people standing on a mountain.
a red car parked on the street at night.
two red stars on a blue flag.
three blue circles on a white wall.
a child playing in the snow with a sled.
a bird sitting on a branch of a tree.
a boat on the lake in the morning.
the city skyline at night with bright lights.
a plate of pasta with tomato sauce.
a birthday cake with candles.
a family photo in the living room.
a black and white photo of an old house.
an airplane flying over the clouds.
a horse standing in a green field.
a bicycle leaning against a brick wall.
waves crashing on the rocks at the beach.
a cup of coffee on a wooden table.
a person walking a dog in the rain.
a sunset over the ocean with orange clouds.
a puppy sleeping on a blanket.
a kitten playing with a toy mouse.
a snowy mountain under a blue sky.
the old bridge over the river.
a train at the station in the evening.
a picture of my dog on the sofa.
my cat is sitting on the window.
photos from our holiday at the sea.
a selfie with friends at a party.
fireworks over the city at night.
a painting of a vase with flowers.
a screenshot of a text message.
a receipt from the restaurant.
a document with a signature.
a forest path in autumn with yellow leaves.
a garden with roses and tulips.
a street market with fruit and vegetables.
a dog and a cat sleeping together.
the kids are playing football in the park.
a wedding photo of the bride and the groom.
a baby smiling at the camera.
a glass of red wine on the table.
a pizza with cheese and mushrooms.
a lighthouse on the coast.
a desert with sand dunes.
a waterfall in the jungle.
a frog on a leaf after the rain.
""".splitlines()
SUBJECTS = ["dog", "cat", "bird", "horse", "car", "boat", "child", "flower", "tree", "house", "star", "ball"]
COLOURS = ["red", "blue", "green", "yellow", "white", "black", "orange", "brown"]
PLACES = ["on the beach", "in the park", "in the garden", "at night", "in the snow", "on the street", "by the lake"]
TEMPLATES = ["a photo of a {c} {s} {p}.", "a {c} {s} {p}", "the {s} is {c}.", "two {c} {s}s {p}."]


def caption_corpus() -> list[str]:
    corpus = [c for c in CAPTIONS if c]
    for t in TEMPLATES:
        for s in SUBJECTS:
            for i, c in enumerate(COLOURS):
                corpus.append(t.format(c=c, s=s, p=PLACES[(i + len(s)) % len(PLACES)]))
    return corpus


def train_bpe(corpus: list[str], n_merges: int) -> list[tuple[str, str]]:
    """Plain BPE (Sennrich et al.): repeatedly merge the most frequent adjacent pair of symbols within
    pieces. Ties go to the lexicographically smallest pair so a rerun gives the same merges. The corpus
    is small, so the last merges join words seen once: most corpus words end as one token, as common
    words do in CLIP's 49k vocabulary, and words outside the corpus still split into pieces."""
    words = Counter(p for line in corpus for p in split(normalise(line)))
    segs = {w: symbols(w) for w in words}
    merges: list[tuple[str, str]] = []
    while len(merges) < n_merges:
        pairs: Counter = Counter()
        for w, f in words.items():
            s = segs[w]
            for a, b in zip(s, s[1:]):
                pairs[(a, b)] += f
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        for w, s in segs.items():
            segs[w] = merge_pair(s, best)
    return merges


def merge_pair(s: list[str], pair: tuple[str, str]) -> list[str]:
    out, i = [], 0
    while i < len(s):
        if i + 1 < len(s) and (s[i], s[i + 1]) == pair:
            out.append(s[i] + s[i + 1])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return out


class ClipTokenizer:
    """What CLIP's tokenizer.json does with this vocabulary, in plain Python (Debian has no `tokenizers`)."""

    def __init__(self, merges: list[tuple[str, str]]):
        self.merges = merges
        self.vocab: dict[str, int] = {}
        for sym in ALPHABET + [a + "</w>" for a in ALPHABET]:
            self.vocab[sym] = len(self.vocab)
        for a, b in merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        # As in CLIP (49406, 49407): the two specials are the last ids, so EOT is the largest id and
        # OpenAI's text tower finds it with argmax over the ids.
        self.sot = self.vocab[SOT] = len(self.vocab)
        self.eot = self.vocab[EOT] = len(self.vocab)
        self.ranks = {m: r for r, m in enumerate(merges)}

    def bpe(self, piece: str) -> list[str]:
        word = symbols(piece)
        while len(word) > 1:
            best = min(zip(word, word[1:]), key=lambda p: self.ranks.get(p, len(self.ranks)))
            if best not in self.ranks:
                break
            word = merge_pair(word, best)
        return word

    def encode(self, text: str, context: int = CONTEXT) -> list[int]:
        """Start token, text, end token; truncated to `context` with the end token kept last, unpadded."""
        ids = [self.vocab[t] for piece in split(normalise(text)) for t in self.bpe(piece)]
        return [self.sot] + ids[: context - 2] + [self.eot]

    def tokenizer_json(self) -> dict:
        special = {"single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [{"id": self.sot, "content": SOT, **special}, {"id": self.eot, "content": EOT, **special}],
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": SPLIT_PATTERN}, "behavior": "Removed", "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
            "post_processor": {"type": "RobertaProcessing", "sep": [EOT, self.eot], "cls": [SOT, self.sot],
                               "trim_offsets": False, "add_prefix_space": False},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                      "vocab": self.vocab, "merges": [f"{a} {b}" for a, b in self.merges]},
        }

    def tokenizer_config(self, pad_token: str) -> dict:
        special = {"lstrip": False, "normalized": True, "rstrip": False, "single_word": False, "special": True}
        return {
            "add_prefix_space": False,
            "added_tokens_decoder": {str(self.sot): {"content": SOT, **special}, str(self.eot): {"content": EOT, **special}},
            "bos_token": SOT, "clean_up_tokenization_spaces": True, "do_lower_case": True, "eos_token": EOT,
            "errors": "replace", "model_max_length": CONTEXT, "pad_token": pad_token,
            "tokenizer_class": "CLIPTokenizer", "unk_token": EOT,
        }

    def special_tokens_map(self, pad_token: str) -> dict:
        tok = lambda c: {"content": c, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False}  # noqa: E731
        return {"bos_token": tok(SOT), "eos_token": tok(EOT), "pad_token": pad_token, "unk_token": tok(EOT)}


# ---------------------------------------------------------------------------------------------------
# The network: CLIP's modules, written from the paper's description (section 2.4), scaled down.
# ---------------------------------------------------------------------------------------------------


class QuickGELU(nn.Module):
    """CLIP's GELU approximation, x * sigmoid(1.702 x); published CLIP weights assume it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class SelfAttention(nn.Module):
    """Multi-head self-attention with one packed q/k/v projection (as CLIP's in_proj). Written out
    instead of nn.MultiheadAttention so the mask may carry a batch axis (the HF attention_mask) and
    no fused inference kernel gets in the exporter's way."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b, n, w = x.shape
        dh = w // self.heads
        q, k, v = self.in_proj(x).reshape(b, n, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * dh ** -0.5
        if mask is not None:
            att = att + mask
        return self.out_proj((att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, w))


class ResidualBlock(nn.Module):
    """Pre-LN residual block: x + attn(ln_1(x)), then x + mlp(ln_2(x)), MLP 4x wide with QuickGELU."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = SelfAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, 4 * width)
        self.gelu = QuickGELU()
        self.c_proj = nn.Linear(4 * width, width)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), mask)
        return x + self.c_proj(self.gelu(self.c_fc(self.ln_2(x))))


class VisionTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        w = VISION_WIDTH
        grid = IMAGE_SIZE // PATCH
        self.conv1 = nn.Conv2d(3, w, PATCH, stride=PATCH, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(w) * w ** -0.5)
        self.positional_embedding = nn.Parameter(torch.randn(grid * grid + 1, w) * w ** -0.5)
        self.ln_pre = nn.LayerNorm(w)
        self.blocks = nn.ModuleList([ResidualBlock(w, VISION_HEADS) for _ in range(VISION_LAYERS)])
        self.ln_post = nn.LayerNorm(w)
        self.proj = nn.Parameter(torch.randn(w, EMBED_DIM) * w ** -0.5)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.conv1(image).flatten(2).transpose(1, 2)  # b, grid*grid, width
        x = torch.cat([self.class_embedding.expand(x.shape[0], 1, -1), x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        for blk in self.blocks:
            x = blk(x, None)
        return self.ln_post(x[:, 0]) @ self.proj


class TextTransformer(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        w = TEXT_WIDTH
        self.token_embedding = nn.Embedding(vocab_size, w)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, w) * 0.01)
        self.blocks = nn.ModuleList([ResidualBlock(w, TEXT_HEADS) for _ in range(TEXT_LAYERS)])
        self.ln_final = nn.LayerNorm(w)
        self.text_projection = nn.Parameter(torch.randn(w, EMBED_DIM) * w ** -0.5)
        # Causal mask: a token attends only to itself and earlier tokens, so padding after the
        # end-of-text token never reaches its feature.
        self.register_buffer("causal", torch.full((CONTEXT, CONTEXT), float("-inf")).triu(1), persistent=False)

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        ids = ids.long()
        n = ids.shape[1]
        x = self.token_embedding(ids) + self.positional_embedding[:n]
        mask = self.causal[:n, :n]
        if attention_mask is not None:
            # HF's convention: masked keys get the most negative float; redundant after the EOT under
            # the causal mask, but it makes the exported graph consume the input.
            pad = (1.0 - attention_mask.to(x.dtype))[:, None, None, :] * torch.finfo(x.dtype).min
            mask = mask + pad
        for blk in self.blocks:
            x = blk(x, mask)
        x = self.ln_final(x)
        # OpenAI CLIP: the end-of-text token has the largest id, so argmax finds it (the first one when
        # padding repeats it). int32 because ONNX Runtime's ArgMax has no int64 kernel.
        eot = ids.to(torch.int32).argmax(dim=-1)
        return x[torch.arange(x.shape[0]), eot] @ self.text_projection


class TinyClip(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.visual = VisionTransformer()
        self.textual = TextTransformer(vocab_size)
        self.logit_scale = nn.Parameter(torch.tensor(np.log(1 / 0.07), dtype=torch.float32))
        self.init_like_clip()

    @torch.no_grad()
    def init_like_clip(self) -> None:
        """CLIP's initialisation scales (token 0.02, positions 0.01, attention width^-0.5, residual
        projections width^-0.5 (2L)^-0.5, MLP (2 width)^-0.5), except the image tower's q/k/v at twice
        that: with CLIP's scale its attention is nearly uniform, the class token sees the average patch
        and different pictures land at cosine 0.8-0.97; sharper attention spreads them (0.27-0.83 here)
        while +-2 grey levels of noise still keep cosine > 0.998. Biases and LayerNorm affine parameters
        are random too, not 0/1, so a parity test notices any of them lost in an export."""
        nn.init.normal_(self.textual.token_embedding.weight, std=0.02)
        for tower, width, layers, qkv in ((self.visual, VISION_WIDTH, VISION_LAYERS, 2.0),
                                          (self.textual, TEXT_WIDTH, TEXT_LAYERS, 1.0)):
            proj_std = width ** -0.5 * (2 * layers) ** -0.5
            for blk in tower.blocks:
                nn.init.normal_(blk.attn.in_proj.weight, std=qkv * width ** -0.5)
                nn.init.normal_(blk.attn.out_proj.weight, std=proj_std)
                nn.init.normal_(blk.c_fc.weight, std=(2 * width) ** -0.5)
                nn.init.normal_(blk.c_proj.weight, std=proj_std)
        for m in self.modules():
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.normal_(m.bias, std=0.02)
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(1 + 0.1 * torch.randn_like(m.weight))
                nn.init.normal_(m.bias, std=0.05)


# ---------------------------------------------------------------------------------------------------
# Export wrappers, one per published graph.
# ---------------------------------------------------------------------------------------------------


class ImmichVisual(nn.Module):
    def __init__(self, model: TinyClip):
        super().__init__()
        self.visual = model.visual

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.visual(image), dim=-1)


class ImmichTextual(nn.Module):
    def __init__(self, model: TinyClip):
        super().__init__()
        self.textual = model.textual

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.textual(text), dim=-1)


class HfVision(nn.Module):
    def __init__(self, model: TinyClip):
        super().__init__()
        self.visual = model.visual

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.visual(pixel_values)


class HfText(nn.Module):
    def __init__(self, model: TinyClip):
        super().__init__()
        self.textual = model.textual

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.textual(input_ids, attention_mask)


def to_onnx(module: nn.Module, args: tuple, inputs: list[str], output: str, dynamic: dict | None) -> onnx.ModelProto:
    buf = io.BytesIO()
    module.eval()
    torch.onnx.export(module, args, buf, input_names=inputs, output_names=[output], dynamic_axes=dynamic,
                      opset_version=OPSET, do_constant_folding=True)
    return onnx.load_from_string(buf.getvalue())


def save(proto: onnx.ModelProto, path: str, external: str | None = None) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if external is None:
        onnx.save_model(proto, path)
        return
    # Large published models keep their weights beside model.onnx; a small threshold moves every
    # weight matrix there (LayerNorm vectors and other tensors under 1 KiB stay inline).
    onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=external, size_threshold=1024)


# ---------------------------------------------------------------------------------------------------
# Images and CLIP's preprocessing.
# ---------------------------------------------------------------------------------------------------


def make_images(folder: str) -> list[dict]:
    """Four small synthetic pictures with different sizes, aspect ratios and formats."""
    rng = np.random.default_rng(SEED)
    os.makedirs(folder, exist_ok=True)
    specs = []

    # 320x240 JPEG, 4:4:4 chroma: a sky gradient, a sun and a red house.
    w, h = 320, 240
    y = np.linspace(0, 1, h)[:, None, None]
    sky = (np.array([70, 130, 220]) * (1 - y) + np.array([250, 200, 150]) * y) * np.ones((1, w, 1))
    img = Image.fromarray(sky.astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.ellipse([220, 30, 280, 90], fill=(255, 230, 60))
    d.rectangle([0, 180, w, h], fill=(60, 140, 50))
    d.rectangle([60, 120, 150, 190], fill=(200, 40, 40))
    d.polygon([(50, 120), (105, 80), (160, 120)], fill=(120, 60, 30))
    specs.append(("landscape.jpg", img, dict(quality=92, subsampling=0)))

    # 200x300 PNG portrait: blue circles and a yellow star on green.
    img = Image.new("RGB", (200, 300), (30, 120, 60))
    d = ImageDraw.Draw(img)
    for cx, cy, r in ((60, 70, 35), (140, 150, 45), (70, 240, 30)):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(40, 80, 230), outline=(255, 255, 255), width=3)
    star = [(150 + (28 if k % 2 == 0 else 12) * np.sin(k * np.pi / 5), 250 - (28 if k % 2 == 0 else 12) * np.cos(k * np.pi / 5))
            for k in range(10)]
    d.polygon(star, fill=(250, 220, 30))
    specs.append(("portrait.png", img, {}))

    # 640x480 JPEG, usual 4:2:0 chroma: two-way colour gradients, stripes, a checkerboard and noise.
    w, h = 640, 480
    xx, yy = np.meshgrid(np.linspace(0, 1, w), np.linspace(0, 1, h))
    arr = np.stack([255 * xx, 255 * yy, 255 * (0.5 + 0.5 * np.sin(12 * xx + 7 * yy))], axis=-1)
    arr[:160, 320:] = np.where(((np.arange(320) // 16)[None, :] + (np.arange(160) // 16)[:, None]) % 2 == 0, 235, 20)[..., None]
    arr[300:, :200] = (128 + 100 * np.sin(np.arange(200) / 2.0))[None, :, None]
    arr += rng.normal(0, 6, arr.shape)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    ImageDraw.Draw(img).ellipse([400, 250, 560, 410], fill=(220, 30, 160))
    specs.append(("detail.jpg", img, dict(quality=88)))

    # 100x60 PNG, smaller than 224 on both sides, so preprocessing must enlarge it.
    img = Image.new("RGB", (100, 60), (250, 250, 240))
    d = ImageDraw.Draw(img)
    d.rectangle([10, 10, 45, 50], fill=(200, 30, 30))
    d.ellipse([55, 8, 95, 52], fill=(20, 20, 20))
    specs.append(("small.png", img, {}))

    out = []
    for name, img, kw in specs:
        img.save(os.path.join(folder, name), **kw)
        out.append({"file": name, "width": img.width, "height": img.height})
    return out


def preprocess(path: str) -> tuple[torch.Tensor, dict]:
    """CLIP's preprocessing (torchvision Resize(224, bicubic) + CenterCrop(224) + ToTensor + Normalize,
    the same as HF's CLIPImageProcessor here): short side to 224 with the long side truncated
    (int(224 * long / short)), PIL bicubic (antialiased when shrinking), crop offset
    round((size - 224) / 2) (Python's round: half to even), /255, mean/std, CHW."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    s = IMAGE_SIZE
    nw, nh = (s, int(s * h / w)) if w <= h else (int(s * w / h), s)
    img = img.resize((nw, nh), Image.Resampling.BICUBIC)
    left, top = int(round((nw - s) / 2.0)), int(round((nh - s) / 2.0))
    img = img.crop((left, top, left + s, top + s))
    x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
    x = (x - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(STD).view(3, 1, 1)
    info = {"resized": [nw, nh], "crop": [left, top], "channelMeans": [round(float(v), 6) for v in x.mean(dim=(1, 2))]}
    return x, info


# ---------------------------------------------------------------------------------------------------
# Writing the folders.
# ---------------------------------------------------------------------------------------------------

TEXTS = [
    "a photo of a dog.",
    "A PHOTO of a  Dog.",
    "",
    "café crème brûlée",
    "🐶 on a beach",
    "it's the dog's ball",
    "two   red    stars",
    ("a long caption that goes on and on: a family photo in the living room with a dog and a cat sleeping on "
     "the sofa, a birthday cake with candles on a wooden table, a glass of red wine, a plate of pasta with tomato "
     "sauce, a window with a view of the garden with roses and tulips, a bicycle leaning against a brick wall, "
     "the old bridge over the river, a boat on the lake in the morning, and fireworks over the city at night."),
]


def write_json(path: str, value, indent: int | None = 2) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=indent, ensure_ascii=False)
        f.write("\n")


def write_tokenizer_files(folder: str, tok: ClipTokenizer, pad_token: str, slow_files: bool) -> None:
    write_json(os.path.join(folder, "tokenizer.json"), tok.tokenizer_json(), indent=1)
    write_json(os.path.join(folder, "tokenizer_config.json"), tok.tokenizer_config(pad_token))
    write_json(os.path.join(folder, "special_tokens_map.json"), tok.special_tokens_map(pad_token))
    if slow_files:  # what transformers' save_pretrained writes beside tokenizer.json for a CLIPTokenizerFast
        write_json(os.path.join(folder, "vocab.json"), tok.vocab, indent=None)
        with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in tok.merges))


def write_immich(folder: str, model: TinyClip, tok: ClipTokenizer) -> None:
    write_json(os.path.join(folder, "config.json"), {
        "embed_dim": EMBED_DIM,
        "vision_cfg": {"image_size": IMAGE_SIZE, "layers": VISION_LAYERS, "width": VISION_WIDTH, "patch_size": PATCH},
        "text_cfg": {"context_length": CONTEXT, "vocab_size": len(tok.vocab), "width": TEXT_WIDTH,
                     "heads": TEXT_HEADS, "layers": TEXT_LAYERS},
    })
    write_json(os.path.join(folder, "visual", "preprocess_cfg.json"), {
        "size": [IMAGE_SIZE, IMAGE_SIZE], "mode": "RGB", "mean": MEAN, "std": STD,
        "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0,
    })
    # Immich's exports: batch fixed at 1 (no dynamic axes), ids int32, outputs already normalised.
    image = torch.randn(1, 3, IMAGE_SIZE, IMAGE_SIZE)
    save(to_onnx(ImmichVisual(model), (image,), ["image"], "embedding", None),
         os.path.join(folder, "visual", "model.onnx"), external="model.onnx_data")
    text = torch.zeros(1, CONTEXT, dtype=torch.int32)
    ids = tok.encode("a dog")
    text[0, : len(ids)] = torch.tensor(ids, dtype=torch.int32)
    save(to_onnx(ImmichTextual(model), (text,), ["text"], "embedding", None), os.path.join(folder, "textual", "model.onnx"))
    # Immich pads with the configured pad token; for OpenAI models that is "!", id 0 (open_clip's zeros).
    write_tokenizer_files(os.path.join(folder, "textual"), tok, "!", slow_files=True)


def write_hf(folder: str, model: TinyClip, tok: ClipTokenizer) -> None:
    common = {"hidden_act": "quick_gelu", "layer_norm_eps": 1e-5, "attention_dropout": 0.0, "dropout": 0.0,
              "initializer_factor": 1.0, "initializer_range": 0.02, "projection_dim": EMBED_DIM}
    write_json(os.path.join(folder, "config.json"), {
        "architectures": ["CLIPModel"],
        "model_type": "clip",
        "projection_dim": EMBED_DIM,
        "logit_scale_init_value": 2.6592,
        "initializer_factor": 1.0,
        "text_config": {"model_type": "clip_text_model", "vocab_size": len(tok.vocab), "hidden_size": TEXT_WIDTH,
                        "intermediate_size": 4 * TEXT_WIDTH, "num_attention_heads": TEXT_HEADS,
                        "num_hidden_layers": TEXT_LAYERS, "max_position_embeddings": CONTEXT,
                        "bos_token_id": tok.sot, "eos_token_id": tok.eot, "pad_token_id": tok.eot, **common},
        "vision_config": {"model_type": "clip_vision_model", "image_size": IMAGE_SIZE, "patch_size": PATCH,
                          "num_channels": 3, "hidden_size": VISION_WIDTH, "intermediate_size": 4 * VISION_WIDTH,
                          "num_attention_heads": VISION_HEADS, "num_hidden_layers": VISION_LAYERS, **common},
        "torch_dtype": "float32",
    })
    write_json(os.path.join(folder, "preprocessor_config.json"), {
        "crop_size": {"height": IMAGE_SIZE, "width": IMAGE_SIZE},
        "do_center_crop": True, "do_convert_rgb": True, "do_normalize": True, "do_rescale": True, "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": MEAN,
        "image_processor_type": "CLIPImageProcessor", "image_std": STD, "resample": 3,
        "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": IMAGE_SIZE},
    })
    # Hugging Face pads with the end-of-text token.
    write_tokenizer_files(folder, tok, EOT, slow_files=False)
    image = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)
    save(to_onnx(HfVision(model), (image,), ["pixel_values"], "image_embeds",
                 {"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}}),
         os.path.join(folder, "onnx", "vision_model.onnx"))
    ids = [tok.encode("a dog"), tok.encode("a photo of a cat")]
    n = max(len(i) for i in ids)
    input_ids = torch.tensor([i + [tok.eot] * (n - len(i)) for i in ids], dtype=torch.int64)
    attention_mask = torch.tensor([[1] * len(i) + [0] * (n - len(i)) for i in ids], dtype=torch.int64)
    seq = {0: "batch_size", 1: "sequence_length"}
    save(to_onnx(HfText(model), (input_ids, attention_mask), ["input_ids", "attention_mask"], "text_embeds",
                 {"input_ids": seq, "attention_mask": seq, "text_embeds": {0: "batch_size"}}),
         os.path.join(folder, "onnx", "text_model.onnx"))


def reference(model: TinyClip, tok: ClipTokenizer, images: list[dict]) -> dict:
    model.eval()
    with torch.no_grad():
        texts = []
        for t in TEXTS:
            ids = tok.encode(t)
            padded = torch.zeros(1, CONTEXT, dtype=torch.int64)  # OpenAI/Immich padding (0); causal: no effect
            padded[0, : len(ids)] = torch.tensor(ids)
            raw = model.textual(padded)[0]
            texts.append({"text": t, "ids": ids, "embedding": rounded(F.normalize(raw, dim=-1)),
                          "hfRawNorm": round(float(raw.norm()), 6)})
        for im in images:
            x, info = preprocess(os.path.join(OUT, "images", im["file"]))
            raw = model.visual(x[None])[0]
            im.update(info)
            im["embedding"] = rounded(F.normalize(raw, dim=-1))
            im["hfRawNorm"] = round(float(raw.norm()), 6)
    return {
        "about": "PyTorch reference for immich/ and hf/ (same weights): token ids (unpadded, start/end tokens, "
                 "truncated to 77 with end-of-text last) and L2-normalised embeddings from the PyTorch modules. "
                 "hfRawNorm: the norm of the raw hf/ ONNX output (not normalised there). Written by "
                 "models/recipe/test_models.py.",
        "model": {"embedDim": EMBED_DIM, "imageSize": IMAGE_SIZE, "patchSize": PATCH, "visionWidth": VISION_WIDTH,
                  "visionLayers": VISION_LAYERS, "visionHeads": VISION_HEADS, "contextLength": CONTEXT,
                  "textWidth": TEXT_WIDTH, "textLayers": TEXT_LAYERS, "textHeads": TEXT_HEADS,
                  "vocabSize": len(tok.vocab), "sotId": tok.sot, "eotId": tok.eot, "opset": OPSET, "seed": SEED},
        "padding": {"immich": {"token": "!", "id": 0}, "hf": {"token": EOT, "id": tok.eot}},
        "preprocess": {"size": IMAGE_SIZE, "mean": MEAN, "std": STD, "resize": "short side to 224, PIL bicubic, "
                       "long side int(224*long/short)", "crop": "centre, offset round((side-224)/2)"},
        "texts": texts,
        "images": images,
    }


def rounded(v: torch.Tensor) -> list[float]:
    return [round(float(x), 8) for x in v]


def main() -> None:
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    tok = ClipTokenizer(train_bpe(caption_corpus(), N_MERGES))
    model = TinyClip(len(tok.vocab)).eval()
    for sub in ("immich", "hf", "images"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
    images = make_images(os.path.join(OUT, "images"))
    write_immich(os.path.join(OUT, "immich"), model, tok)
    write_hf(os.path.join(OUT, "hf"), model, tok)
    ref = reference(model, tok, images)
    write_json(os.path.join(OUT, "reference.json"), ref, indent=1)
    emb = torch.tensor([t["embedding"] for t in ref["texts"]])
    img = torch.tensor([i["embedding"] for i in ref["images"]])
    print(f"vocab {len(tok.vocab)} ({len(tok.merges)} merges), sot {tok.sot}, eot {tok.eot}")
    print("text cosines:\n", np.round((emb @ emb.T).numpy(), 3))
    print("image cosines:\n", np.round((img @ img.T).numpy(), 3))
    total = 0
    for root, _, names in sorted(os.walk(OUT)):
        for name in sorted(names):
            total += os.path.getsize(os.path.join(root, name))
    print(f"wrote {OUT}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
