"""A small GRPO loop in PyTorch on an exitgym server: the proof that the envs and the ExIt
curriculum plug into Python RL code.

Each iteration draws B start states from the server's ExIt curriculum (base tasks, then replays
of learnable histories as improve/diverge steps), plays G episodes per start in env sessions,
reports each group (qualities + traces) so the curriculum scores its learnability, and takes one
GRPO step: advantages are the group-normalised returns, the loss is -mean(A · log π(a)).

The toy task is the server's fixture arithmetic env (1–3 turns of "Compute a + b."). The policy
is deliberately tiny: an MLP over hashed character counts of the observation that picks which
operation to answer with (+, -, ×, max, min, first). Only "+" is rewarded, so the reward rises
from about 1/6 as the policy learns it — a test of the loop, the curriculum and the reports, not
of language modelling.

    python3 grpo_torch.py --url http://127.0.0.1:8765 --env <arith env id> --iterations 25

Prints one JSON object per iteration (``reward_mean``, ``loss``, curriculum metrics).
"""

import argparse
import json
import os
import re
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from exitgym_client import Client  # noqa: E402

OPS = [
    ("+", lambda a, b: a + b),
    ("-", lambda a, b: a - b),
    ("*", lambda a, b: a * b),
    ("max", max),
    ("min", min),
    ("first", lambda a, b: a),
]
FEATURES = 64


def features(messages):
    """Hashed character counts of the last message (what the policy sees), scaled."""
    x = torch.zeros(FEATURES)
    for ch in messages[-1]["content"]:
        x[ord(ch) % FEATURES] += 1.0
    return x / (1.0 + x.sum())


class Policy(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(FEATURES, 32), torch.nn.Tanh(), torch.nn.Linear(32, len(OPS)))

    def forward(self, x):
        return torch.distributions.Categorical(logits=self.net(x))


def answer(messages, op):
    asks = re.findall(r"Compute (\d+) \+ (\d+)", "\n".join(m["content"] for m in messages))
    a, b = (int(v) for v in asks[-1]) if asks else (0, 0)
    return f"The answer is {OPS[op][1](a, b)}"


def episode(client, env, policy, item, seed):
    """One episode from a curriculum start; returns (return, quality, trace, log-prob sum)."""
    session = client.create_session(env)
    try:
        obs = client.reset(session, item["start"], seed=seed)["observation"]
        logp = torch.zeros(())
        total, quality = 0.0, None
        while True:
            dist = policy(features(obs))
            op = dist.sample()
            logp = logp + dist.log_prob(op)
            r = client.step(session, answer(obs, int(op)))
            total += r["reward"]
            quality = r["info"].get("quality", quality)
            if r["terminated"] or r["truncated"]:
                break
            obs = obs + r["observation"]
        return total, quality, client.trace(session), logp
    finally:
        client.delete(session)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=os.environ.get("EXITGYM_URL", "http://127.0.0.1:8765"))
    p.add_argument("--env", required=True)
    p.add_argument("--curriculum", default=None, help="an existing curriculum id (default: create one)")
    p.add_argument("--iterations", type=int, default=25)
    p.add_argument("--starts", type=int, default=4, help="B: starts per iteration")
    p.add_argument("--group", type=int, default=4, help="G: episodes per start")
    p.add_argument("--lr", type=float, default=0.03)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    torch.manual_seed(args.seed)
    client = Client(args.url)
    cid = args.curriculum
    if cid is None:
        cid = client.create_curriculum(args.env, domain="math", strategy="exit", overrides={"capacity": 64, "minSize": 4}, seed=args.seed)["curriculum"]
    policy = Policy()
    opt = torch.optim.Adam(policy.parameters(), lr=args.lr)
    for it in range(args.iterations):
        t0 = time.time()
        losses, returns = [], []
        for g, item in enumerate(client.next(cid, n=args.starts)):
            eps = [episode(client, args.env, policy, item, seed=it * 10_000 + g * 100 + j) for j in range(args.group)]
            client.report_group(cid, item["group"], [e[1] for e in eps], [e[2] for e in eps])
            r = torch.tensor([e[0] for e in eps])
            adv = (r - r.mean()) / (r.std(unbiased=False) + 1e-6)
            losses.append(-(adv * torch.stack([e[3] for e in eps])).mean())
            returns += r.tolist()
        loss = torch.stack(losses).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        m = client.metrics(cid)
        print(json.dumps({
            "iteration": it,
            "reward_mean": sum(returns) / len(returns),
            "loss": float(loss),
            "seconds": round(time.time() - t0, 3),
            "curriculum/buffer_size": m["curriculum/buffer_size"],
            "curriculum/replays": m["curriculum/replays"],
            "curriculum/groups_completed": m["curriculum/groups_completed"],
        }), flush=True)


if __name__ == "__main__":
    main()
