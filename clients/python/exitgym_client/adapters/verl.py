"""A verl agent loop that draws start states from an exitgym curriculum and plays them in an
exitgym env session.

Interface read from volcengine/verl at commit 6c923f3b724ad8a3647e9fc818e485c078703d07,
``verl/experimental/agent_loop/agent_loop.py``: ``AgentLoopBase.__init__(trainer_config,
server_manager, tokenizer, processor, **kwargs)`` (``trainer_config.config`` is the trainer
config), ``async run(sampling_params, **kwargs) -> AgentLoopOutput`` called once per sample with
the dataset fields as ``kwargs``; ``AgentLoopOutput(prompt_ids, response_ids, response_mask,
response_logprobs, reward_score, num_turns, metrics, extra_fields)`` where ``response_mask`` is 1
for LLM-generated tokens and 0 for tool/env tokens; ``server_manager.generate(request_id, *,
prompt_ids, sampling_params)`` returns a ``TokenOutput`` with ``token_ids`` and ``log_probs``; the
loop registers itself with ``register(name)``. verl's trainer gives the n samples of one prompt
the same ``uid`` field, so the ``uid`` is the curriculum group key: the n calls of a group get the
same start, and each reports its own sample (the server assembles the group).

verl is not installable here; ``clients/python/tests/test_verl_adapter.py`` runs this module
against the real server with the verl names replaced by minimal stand-ins copied in shape from
that file.

Configuration (``trainer_config.config.exitgym``): ``url``, ``curriculum``, ``env``, ``options``,
optional ``token``; the group size is ``actor_rollout_ref.rollout.n``.
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopOutput, register

from ..aio import AsyncClient


def _get(cfg: Any, key: str, default: Any = None) -> Any:
    if isinstance(cfg, dict):
        return cfg.get(key, default)
    return getattr(cfg, key, default)


@register("exitgym_agent")
class ExitgymAgentLoop(AgentLoopBase):
    """One exitgym episode per call: ``uid`` → curriculum start, model ↔ env until the episode ends,
    one per-sample report. Env tokens (observations after the first) have ``response_mask`` 0."""

    async def run(self, sampling_params: Dict[str, Any], **kwargs: Any) -> AgentLoopOutput:
        cfg = _get(self.config, "exitgym")
        client = AsyncClient(_get(cfg, "url"), token=_get(cfg, "token"))
        curriculum = _get(cfg, "curriculum")
        group_size = int(_get(_get(_get(self.config, "actor_rollout_ref"), "rollout"), "n"))
        uid = str(kwargs["uid"])
        item = (await client.next(curriculum, group_keys=[uid]))[0]
        session = await client.create_session(_get(cfg, "env"), _get(cfg, "options") or {})
        request_id = uuid.uuid4().hex
        messages: List[Dict[str, str]] = [dict(m) for m in item["observation"]]
        try:
            await client.reset(session, item["start"])
            prompt_ids: List[int] = list(self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True))
            response_ids: List[int] = []
            response_mask: List[int] = []
            logprobs: List[float] = []
            total, turns, quality = 0.0, 1, None
            while True:
                context = prompt_ids + response_ids
                out = await self.server_manager.generate(request_id, prompt_ids=context, sampling_params=sampling_params)
                response_ids += list(out.token_ids)
                response_mask += [1] * len(out.token_ids)
                logprobs += list(out.log_probs) if out.log_probs else [0.0] * len(out.token_ids)
                text = self.tokenizer.decode(out.token_ids, skip_special_tokens=True)
                r = await client.step(session, text)
                turns += 1
                total += r["reward"]
                quality = r["info"].get("quality", quality)
                if r["terminated"] or r["truncated"] or not r["observation"]:
                    break
                # The env's reply, as the chat template renders it after the assistant turn: masked out.
                messages += [{"role": "assistant", "content": text}] + [dict(m) for m in r["observation"]]
                full = list(self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True))
                env_ids = full[len(prompt_ids) + len(response_ids):]
                response_ids += env_ids
                response_mask += [0] * len(env_ids)
                logprobs += [0.0] * len(env_ids)
                turns += 1
            trace = await client.trace(session)
        finally:
            await client.delete(session)
        await client.report_sample(curriculum, item["group"], f"{uid}/{request_id}", quality, group_size, trace)
        # verl pads responses to rollout.response_length; longer ones are cut, as its own loops do.
        limit = _get(_get(_get(self.config, "actor_rollout_ref"), "rollout"), "response_length")
        if limit is not None:
            response_ids, response_mask, logprobs = response_ids[:limit], response_mask[:limit], logprobs[:limit]
        return AgentLoopOutput(
            prompt_ids=prompt_ids,
            response_ids=response_ids,
            response_mask=response_mask,
            response_logprobs=logprobs,
            reward_score=total,
            num_turns=turns,
            metrics={},
            extra_fields={"exitgym_group": item["group"], "exitgym_quality": quality},
        )
