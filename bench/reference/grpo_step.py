#!/usr/bin/python3
"""PyTorch reference for bench/grpo-vs-torch.ts: the same small decoder (Qwen2 layout: RMSNorm,
q/k/v biases, rotate-half RoPE, SwiGLU, tied head), the same GRPO batch and loss (clipped ratio
against the sampler's logprobs, k3 KL against given reference logprobs, per-sequence
normaliser, grad-norm clip 1, Adam), timed in this process. Prints one JSON line.

    /usr/bin/python3 bench/reference/grpo_step.py --threads 2 [--layers 2 --hidden 128 ...]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=2)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--hidden", type=int, default=128)
p.add_argument("--heads", type=int, default=4)
p.add_argument("--kv-heads", type=int, default=4)
p.add_argument("--inter", type=int, default=512)
p.add_argument("--vocab", type=int, default=271)
p.add_argument("--batch", type=int, default=8)
p.add_argument("--prompt", type=int, default=16)
p.add_argument("--new", type=int, default=112)
p.add_argument("--repeats", type=int, default=3)
p.add_argument("--epsilon", type=float, default=0.2)
p.add_argument("--beta", type=float, default=0.001)
p.add_argument("--skip-generate", action="store_true")
p.add_argument("--skip-train", action="store_true")
p.add_argument("--device", default="cpu", help="cpu, or cuda where torch sees a GPU (bench/gpu-check.sh)")
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

D, H, KV, V = args.hidden, args.heads, args.kv_heads, args.vocab
HD = D // H
EPS = 1e-6


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = torch.nn.Parameter(torch.ones(D))
        self.ln2 = torch.nn.Parameter(torch.ones(D))
        self.q = torch.nn.Linear(D, H * HD)
        self.k = torch.nn.Linear(D, KV * HD)
        self.v = torch.nn.Linear(D, KV * HD)
        self.o = torch.nn.Linear(H * HD, D, bias=False)
        self.gate = torch.nn.Linear(D, args.inter, bias=False)
        self.up = torch.nn.Linear(D, args.inter, bias=False)
        self.down = torch.nn.Linear(args.inter, D, bias=False)


def rms(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * w


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(V, D)
        torch.nn.init.normal_(self.embed.weight, std=0.3)
        self.layers = torch.nn.ModuleList([Layer() for _ in range(args.layers)])
        self.norm = torch.nn.Parameter(torch.ones(D))
        self.inv_freq = 1.0 / (10000 ** (torch.arange(0, HD, 2).float() / HD))

    def forward(self, ids, pos, cache=None):
        b, t = ids.shape
        freqs = pos[..., None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), -1)[:, None]
        cos, sin = emb.cos(), emb.sin()
        x = self.embed(ids)
        new_cache = []
        for i, l in enumerate(self.layers):
            h = rms(x, l.ln1)
            q = l.q(h).view(b, t, H, HD).transpose(1, 2)
            k = l.k(h).view(b, t, KV, HD).transpose(1, 2)
            v = l.v(h).view(b, t, KV, HD).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            if cache is not None:
                k = torch.cat((cache[i][0], k), 2)
                v = torch.cat((cache[i][1], v), 2)
            new_cache.append((k, v))
            if KV != H:
                k = k.repeat_interleave(H // KV, 1)
                v = v.repeat_interleave(H // KV, 1)
            s = q @ k.transpose(-1, -2) / math.sqrt(HD)
            tk = k.shape[2]
            if t > 1:
                mask = torch.ones(t, tk, dtype=torch.bool).tril(tk - t)
                s = s.masked_fill(~mask, float("-inf"))
            a = s.softmax(-1) @ v
            x = x + l.o(a.transpose(1, 2).reshape(b, t, D))
            h = rms(x, l.ln2)
            x = x + l.down(F.silu(l.gate(h)) * l.up(h))
        x = rms(x, self.norm)
        return x @ self.embed.weight.T, new_cache


DEV = torch.device(args.device)
model = Model().to(DEV)
model.inv_freq = model.inv_freq.to(DEV)
B, P, C = args.batch, args.prompt, args.new
T = P + C
g = torch.Generator().manual_seed(1)
ids = torch.randint(0, V, (B, T), generator=g).to(DEV)
pos = torch.arange(T, device=DEV).expand(B, T)
with torch.no_grad():
    lp0 = torch.log_softmax(model(ids, pos)[0][:, :-1], -1).gather(-1, ids[:, 1:, None])[..., 0]
old = (lp0 + (torch.rand(lp0.shape, generator=g).to(DEV) - 0.5) * 0.2)[:, P - 1:]
ref = (lp0 + (torch.rand(lp0.shape, generator=g).to(DEV) - 0.5) * 0.2)[:, P - 1:]
adv = torch.tensor([1.0, -1.0] * (B // 2) + [0.5] * (B % 2), device=DEV)
opt = torch.optim.Adam(model.parameters(), lr=1e-5)


def train_step():
    opt.zero_grad()
    logits, _ = model(ids, pos)
    lp = torch.log_softmax(logits[:, P - 1:-1], -1).gather(-1, ids[:, P:, None])[..., 0]
    ratio = torch.exp(lp - old)
    a = adv[:, None]
    surr = torch.minimum(ratio * a, ratio.clamp(1 - args.epsilon, 1 + args.epsilon) * a)
    d = ref - lp
    kl = torch.exp(d) - d - 1
    loss = -((surr - args.beta * kl).sum(1) / C).sum() / B
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


@torch.no_grad()
def generate():
    prompt = ids[:, :P]
    logits, cache = model(prompt, torch.arange(P, device=DEV).expand(B, P))
    last = logits[:, -1]
    out, lps = [], []
    for s in range(C):
        logp = torch.log_softmax(last, -1)
        tok = torch.multinomial(logp.exp().cpu(), 1, generator=g).to(DEV)
        out.append(tok)
        lps.append(logp.gather(-1, tok))
        if s == C - 1:
            break
        logits, cache = model(tok, torch.full((B, 1), P + s, device=DEV), cache)
        last = logits[:, -1]
    return torch.cat(out, 1)


def sync():
    if DEV.type == "cuda":
        torch.cuda.synchronize()


def timed(fn):
    fn()  # warm-up
    sync()
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


res = {"device": args.device, "torch": torch.__version__, "threads": torch.get_num_threads(), "params": sum(p.numel() for p in model.parameters())}
if not args.skip_train:
    res["train_step_s"] = timed(train_step)
if not args.skip_generate:
    res["generate_s"] = timed(generate)
print(json.dumps(res))
