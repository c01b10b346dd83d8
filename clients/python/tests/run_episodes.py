"""Plays episodes through the server with the Gymnasium-like wrapper and prints their rewards.

stdin: {"url": ..., "episodes": [{"env", "options", "start", "seed", "actions"}]};
stdout: [[reward, ...], ...] — one list per episode, in order.
"""

import json
import sys

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])
from exitgym_client import Client, ExitgymEnv  # noqa: E402

plan = json.load(sys.stdin)
client = Client(plan["url"])
out = []
for ep in plan["episodes"]:
    with ExitgymEnv(client, ep["env"], ep.get("options")) as env:
        env.reset(ep["start"], seed=ep.get("seed"))
        rewards = []
        for action in ep["actions"]:
            _, reward, terminated, truncated, _ = env.step(action)
            rewards.append(reward)
            if terminated or truncated:
                break
        out.append(rewards)
print(json.dumps(out))
