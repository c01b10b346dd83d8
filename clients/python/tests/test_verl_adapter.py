"""The verl agent loop against the real server. verl cannot be installed here, so the module it
imports (``verl.experimental.agent_loop.agent_loop``) is a minimal stand-in copied in shape from
volcengine/verl@6c923f3 (the names, signatures and fields the adapter uses)."""

import asyncio
import sys
import types
import unittest
import uuid
from abc import ABC, abstractmethod

from helpers import ENV, SKIP, URL, CharTokenizer, arith_reply
from exitgym_client import Client

# --- stand-in for verl/experimental/agent_loop/agent_loop.py (shape only) ---------------------
_registry = {}


class AgentLoopOutput:
    def __init__(self, prompt_ids, response_ids, response_mask, response_logprobs=None, multi_modal_data=None, reward_score=None, num_turns=0, metrics=None, extra_fields=None):
        self.prompt_ids, self.response_ids, self.response_mask = prompt_ids, response_ids, response_mask
        self.response_logprobs, self.reward_score, self.num_turns = response_logprobs, reward_score, num_turns
        self.metrics, self.extra_fields = metrics, extra_fields or {}


class AgentLoopBase(ABC):
    _class_initialized = False

    def __init__(self, trainer_config, server_manager, tokenizer, processor, **kwargs):
        self.config = trainer_config.config
        self.server_manager = server_manager
        self.tokenizer = tokenizer
        self.processor = processor
        self.loop = asyncio.get_running_loop()

    @abstractmethod
    async def run(self, sampling_params, **kwargs):
        raise NotImplementedError


def register(agent_name):
    def decorator(subclass):
        _registry[agent_name] = {"_target_": f"{subclass.__module__}.{subclass.__qualname__}"}
        return subclass

    return decorator


class _DummyConfig:
    def __init__(self, config):
        self.config = config


class TokenOutput:
    def __init__(self, token_ids, log_probs=None):
        self.token_ids, self.log_probs = token_ids, log_probs


_mod = types.ModuleType("verl.experimental.agent_loop.agent_loop")
_mod.AgentLoopBase, _mod.AgentLoopOutput, _mod.register = AgentLoopBase, AgentLoopOutput, register
for name in ("verl", "verl.experimental", "verl.experimental.agent_loop"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["verl.experimental.agent_loop.agent_loop"] = _mod
# -----------------------------------------------------------------------------------------------

from exitgym_client.adapters.verl import ExitgymAgentLoop  # noqa: E402


class ScriptedServerManager:
    """``generate(request_id, *, prompt_ids, sampling_params)`` with a scripted policy."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    async def generate(self, request_id, *, prompt_ids, sampling_params, image_data=None):
        text = arith_reply(self.tokenizer.decode(prompt_ids), request_id)
        ids = self.tokenizer.encode(text)
        return TokenOutput(ids, [-0.25] * len(ids))


@unittest.skipIf(SKIP, SKIP)
class VerlAdapterTest(unittest.TestCase):
    def test_groups_share_a_start_env_tokens_are_masked_and_every_sample_is_reported(self):
        client = Client(URL)
        cid = "verl-" + uuid.uuid4().hex[:8]
        # Multi-turn tasks only (arith/1: 2 turns, arith/2: 3), so env tokens appear in responses.
        client.create_curriculum(ENV, id=cid, domain="math", tasks=["arith/1", "arith/2"], overrides={"capacity": 16, "minSize": 1}, seed=5)
        n = 4
        config = {"exitgym": {"url": URL, "curriculum": cid, "env": ENV, "options": {}}, "actor_rollout_ref": {"rollout": {"n": n}}}
        tokenizer = CharTokenizer()
        manager = ScriptedServerManager(tokenizer)

        async def sample(uid):
            loop = ExitgymAgentLoop(trainer_config=_DummyConfig(config), server_manager=manager, tokenizer=tokenizer, processor=None)
            return await loop.run({"temperature": 1.0}, uid=uid, raw_prompt=[])

        async def main():
            return await asyncio.gather(*(sample(f"uid-{g}") for g in range(3) for _ in range(n)))

        outs = asyncio.run(main())
        self.assertIn("exitgym_agent", _registry)
        for g in range(3):
            groups = {o.extra_fields["exitgym_group"] for o in outs[g * n:(g + 1) * n]}
            self.assertEqual(len(groups), 1, "the n samples of a uid share one start")
        for o in outs:
            self.assertEqual(len(o.response_ids), len(o.response_mask))
            self.assertEqual(len(o.response_ids), len(o.response_logprobs))
            self.assertIn(0, o.response_mask, "env tokens of a multi-turn episode are masked out")
            model = [t for t, m in zip(o.response_ids, o.response_mask) if m == 1]
            self.assertTrue(CharTokenizer().decode(model).startswith("The answer is"))
            self.assertTrue(0.0 <= o.reward_score <= 1.0)
        m = client.metrics(cid)
        self.assertEqual(m["curriculum/groups_completed"], 3)
        self.assertEqual(m["curriculum/open_groups"], 0)
        self.assertEqual(m["curriculum/samples_reported"], 3 * n)


if __name__ == "__main__":
    unittest.main()
