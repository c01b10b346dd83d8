"""A Gymnasium-like wrapper around one server session: ``reset`` → ``(observation, info)``,
``step`` → ``(observation, reward, terminated, truncated, info)``. Observations are lists of chat
messages (``{"role", "content"}``); actions are the assistant's text (or, for BFCL, an OpenAI
``tool_calls`` list).

Example::

    with ExitgymEnv(Client(url), "math", {"split": "math500"}) as env:
        obs, info = env.reset(base_start("math500/0"), seed=0)
        obs, reward, terminated, truncated, info = env.step("\\\\boxed{3}")
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

from .client import Client, base_start

Messages = List[Dict[str, Any]]


class ExitgymEnv:
    def __init__(self, client: Client, env_id: str, options: Optional[Dict[str, Any]] = None):
        self.client = client
        self.env_id = env_id
        self.session = client.create_session(env_id, options)
        self.tools: Optional[List[Dict[str, Any]]] = None

    def reset(self, start: Union[Dict[str, Any], str], seed: Optional[int] = None) -> Tuple[Messages, Dict[str, Any]]:
        """Starts an episode from a start state (or a task id, meaning its base start)."""
        state = base_start(start) if isinstance(start, str) else start
        out = self.client.reset(self.session, state, seed=seed)
        self.tools = out.get("tools")
        return out["observation"], out["info"]

    def step(self, action: Union[str, List[Dict[str, Any]]], content: Optional[str] = None) -> Tuple[Messages, float, bool, bool, Dict[str, Any]]:
        if isinstance(action, list):
            r = self.client.step(self.session, tool_calls=action, content=content)
        else:
            r = self.client.step(self.session, action)
        return r["observation"], r["reward"], r["terminated"], r["truncated"], r["info"]

    def trace(self) -> List[Dict[str, Any]]:
        return self.client.trace(self.session)

    def close(self) -> None:
        self.client.delete(self.session)

    def __enter__(self) -> "ExitgymEnv":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
