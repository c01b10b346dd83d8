"""A TRL ``rollout_func`` that plays exitgym episodes from the server's ExIt curriculum.

Interface read from huggingface/trl at commit f2cd57710ae345ea6428ae95363267fcf38a3dc8 (version
1.10.0.dev0), ``trl/trainer/grpo_trainer.py``: ``RolloutFunc = Callable[[list[str], GRPOTrainer],
dict[str, Any]]``; ``GRPOTrainer._generate`` calls ``rollout_func(prompts, trainer)`` with the
process's prompts, and the function returns the completions for them — ``trainer.num_generations``
per prompt — as a dict with ``prompt_ids``, ``completion_ids`` and ``logprobs`` (one list per
completion), optionally ``env_mask`` (1 model token, 0 env token; the trainer pops it as its tool
mask); every other key is forwarded to the reward functions as a keyword argument.

Each prompt becomes one curriculum group: the dataset prompt is only a slot (the start state comes
from ``next``), its ``num_generations`` episodes run in env sessions, and the whole group is
reported at once (TRL hands the function the whole group, unlike verl). ``exitgym_reward`` is the
forwarded episode return; pass :func:`exitgym_reward` as the trainer's reward function.

TRL is not installable here; ``clients/python/tests/test_trl_adapter.py`` runs this module against
the real server with a stand-in trainer object carrying the attributes the function reads.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from ..client import Client

# generate(messages) -> {"text", "prompt_ids", "completion_ids", "logprobs"}: the policy's turn.
Generate = Callable[[List[Dict[str, str]]], Dict[str, Any]]
# tokenize(messages) -> token ids of env messages as the chat template renders them.
Tokenize = Callable[[List[Dict[str, str]]], List[int]]


def exitgym_reward(completions: List[Any], exitgym_reward: List[float], **kwargs: Any) -> List[float]:
    """TRL reward function: the episode returns the rollout function forwarded."""
    return list(exitgym_reward)


def make_rollout_func(client: Client, curriculum: str, env: str, generate: Generate, tokenize: Tokenize, options: Optional[Dict[str, Any]] = None) -> Callable[[List[Any], Any], Dict[str, Any]]:
    """A ``rollout_func`` for ``GRPOTrainer(rollout_func=...)``."""

    def episode(item: Dict[str, Any]) -> Dict[str, Any]:
        session = client.create_session(env, options or {})
        try:
            client.reset(session, item["start"])
            messages = [dict(m) for m in item["observation"]]
            prompt_ids: Optional[List[int]] = None
            completion: List[int] = []
            mask: List[int] = []
            logprobs: List[float] = []
            total, quality = 0.0, None
            while True:
                out = generate(messages)
                if prompt_ids is None:
                    prompt_ids = list(out["prompt_ids"])
                completion += list(out["completion_ids"])
                mask += [1] * len(out["completion_ids"])
                logprobs += list(out["logprobs"])
                r = client.step(session, out["text"])
                total += r["reward"]
                quality = r["info"].get("quality", quality)
                if r["terminated"] or r["truncated"] or not r["observation"]:
                    break
                env_ids = tokenize(r["observation"])
                completion += env_ids
                mask += [0] * len(env_ids)
                logprobs += [0.0] * len(env_ids)
                messages += [{"role": "assistant", "content": out["text"]}] + [dict(m) for m in r["observation"]]
            trace = client.trace(session)
        finally:
            client.delete(session)
        return {"prompt_ids": prompt_ids or [], "completion_ids": completion, "env_mask": mask, "logprobs": logprobs, "return": total, "quality": quality, "trace": trace}

    def rollout_func(prompts: List[Any], trainer: Any) -> Dict[str, Any]:
        g = int(trainer.num_generations)
        items = client.next(curriculum, n=len(prompts))
        out: Dict[str, List[Any]] = {"prompt_ids": [], "completion_ids": [], "logprobs": [], "env_mask": [], "exitgym_reward": [], "exitgym_group": []}
        for item in items:
            eps = [episode(item) for _ in range(g)]
            client.report_group(curriculum, item["group"], [e["quality"] for e in eps], [e["trace"] for e in eps])
            for e in eps:
                for key in ("prompt_ids", "completion_ids", "logprobs", "env_mask"):
                    out[key].append(e[key])
                out["exitgym_reward"].append(e["return"])
                out["exitgym_group"].append(item["group"])
        return out

    return rollout_func
