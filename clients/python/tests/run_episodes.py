"""Plays episodes through the server with the Gymnasium-like wrapper and prints their rewards.

stdin: {"url": ..., "episodes": [{"env", "options", "start", "seed", "actions", "toolCalls"?}]}
(``toolCalls``: send each `<tool>` action as an OpenAI tool_calls list instead of text);
stdout: [[reward, ...], ...] — one list per episode, in order.
"""

import json
import re
import sys

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])
from exitgym_client import Client, ExitgymEnv  # noqa: E402



def as_tool_calls(action):
    """A `<tool>[...]</tool>` text action as an OpenAI tool_calls list (json keeps 5 and 5.0 apart)."""
    m = re.search(r"<tool>(.*)</tool>", action, re.S)
    if not m:
        return action
    calls = json.loads(m.group(1))
    return [{"id": f"call_{i}", "type": "function", "function": {"name": c["name"], "arguments": json.dumps(c["args"])}} for i, c in enumerate(calls)]


plan = json.load(sys.stdin)
client = Client(plan["url"])
out = []
for ep in plan["episodes"]:
    with ExitgymEnv(client, ep["env"], ep.get("options")) as env:
        env.reset(ep["start"], seed=ep.get("seed"))
        rewards = []
        for action in ep["actions"]:
            if ep.get("toolCalls"):
                action = as_tool_calls(action)
            _, reward, terminated, truncated, _ = env.step(action)
            rewards.append(reward)
            if terminated or truncated:
                break
        out.append(rewards)
print(json.dumps(out))
