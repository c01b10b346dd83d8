"""Adapters for RL frameworks that cannot be installed here; each names the pinned source its interface was read from."""
