"""Python client for ``exitgym serve``: envs and the ExIt curriculum over HTTP, standard library only.

- :class:`Client` (sync) and :class:`AsyncClient` (asyncio): sessions, batch, curriculum, rollouts;
- :class:`ExitgymEnv`: a Gymnasium-like ``reset``/``step`` wrapper;
- ``exitgym_client.adapters.verl`` / ``.trl``: a verl agent loop and a TRL ``rollout_func``.
"""

from .aio import AsyncClient
from .client import Client, ExitgymHTTPError, base_start
from .gym import ExitgymEnv

__all__ = ["AsyncClient", "Client", "ExitgymEnv", "ExitgymHTTPError", "base_start"]
