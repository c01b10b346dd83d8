"""The TRL rollout function against the real server. TRL cannot be installed here; the trainer is
a stand-in object with the one attribute the function reads (``num_generations``, as in
huggingface/trl@f2cd577 ``GRPOTrainer``), and the function is called the way ``_generate`` calls
it: ``rollout_func(prompts, trainer)``."""

import types
import unittest
import uuid

from helpers import ENV, SKIP, URL, CharTokenizer, arith_reply
from exitgym_client import Client
from exitgym_client.adapters.trl import exitgym_reward, make_rollout_func


@unittest.skipIf(SKIP, SKIP)
class TrlAdapterTest(unittest.TestCase):
    def test_rollout_func_returns_g_completions_per_prompt_and_reports_groups(self):
        client = Client(URL)
        cid = "trl-" + uuid.uuid4().hex[:8]
        client.create_curriculum(ENV, id=cid, domain="math", tasks=["arith/1", "arith/2", "arith/4"], overrides={"capacity": 16, "minSize": 1}, seed=9)
        tok = CharTokenizer()
        counter = iter(range(10_000))

        def generate(messages):
            prompt = tok.apply_chat_template(messages, add_generation_prompt=True)
            text = arith_reply(tok.decode(prompt), str(next(counter)))
            ids = tok.encode(text)
            return {"text": text, "prompt_ids": prompt, "completion_ids": ids, "logprobs": [-0.5] * len(ids)}

        def tokenize(messages):
            return tok.encode(tok.render(messages))

        rollout_func = make_rollout_func(client, cid, ENV, generate, tokenize)
        trainer = types.SimpleNamespace(num_generations=3)
        out = rollout_func(["slot a", "slot b"], trainer)
        for key in ("prompt_ids", "completion_ids", "logprobs", "env_mask", "exitgym_reward"):
            self.assertEqual(len(out[key]), 6, key)
        for ids, mask, lp in zip(out["completion_ids"], out["env_mask"], out["logprobs"]):
            self.assertEqual(len(ids), len(mask))
            self.assertEqual(len(ids), len(lp))
        self.assertEqual(len(set(out["exitgym_group"][:3])), 1)
        self.assertNotEqual(out["exitgym_group"][0], out["exitgym_group"][3])
        self.assertEqual(exitgym_reward([None] * 6, out["exitgym_reward"]), out["exitgym_reward"])
        self.assertEqual(client.metrics(cid)["curriculum/groups_completed"], 2)


if __name__ == "__main__":
    unittest.main()
