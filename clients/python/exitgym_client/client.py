"""Synchronous client for ``exitgym serve`` (standard library only).

Every call is one JSON request. Failures the server marks as retryable (429, 503, with
``Retry-After``; 502/504; connection errors) are retried with back-off, and ``step``/``reset``
carry a ``requestId`` so that a retried call is answered by the server instead of being run twice.
Errors raise :class:`ExitgymHTTPError` with the server's ``code`` and ``message``.

Example::

    from exitgym_client import Client
    c = Client("http://127.0.0.1:8765")
    s = c.create_session("math", {"split": "math500"})
    obs = c.reset(s, {"taskId": "math500/0", "turns": [], "mode": "base", "depth": 0})
    r = c.step(s, "The answer is \\\\boxed{3}")
    c.delete(s)
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.parse
import uuid
from typing import Any, Dict, List, Optional, Union

RETRY_STATUSES = {429, 502, 503, 504}


class ExitgymHTTPError(Exception):
    """A request the server refused or failed: ``status``, ``code`` and ``message`` from its answer."""

    def __init__(self, status: int, code: str, message: str, retry_after: Optional[float] = None):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def base_start(task_id: str) -> Dict[str, Any]:
    """The start state of a plain task."""
    return {"taskId": task_id, "turns": [], "mode": "base", "depth": 0}


class Client:
    """A thread-safe client (one HTTP connection per call) for the env server.

    Args:
        base_url: e.g. ``http://127.0.0.1:8765``.
        token: bearer token (``exitgym serve --token``).
        timeout: seconds per request.
        retries: attempts after the first on retryable failures.
        backoff: first wait in seconds; doubles per retry (``Retry-After`` wins when given).
    """

    def __init__(self, base_url: str, token: Optional[str] = None, timeout: float = 120.0, retries: int = 4, backoff: float = 0.25):
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"base_url must look like http://host:port; got {base_url!r}")
        self._scheme = url.scheme
        self._host = url.hostname
        self._port = url.port or (443 if url.scheme == "https" else 80)
        self._prefix = url.path.rstrip("/")
        self._headers = {"content-type": "application/json", "accept": "application/json"}
        if token:
            self._headers["authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    # -- transport ---------------------------------------------------------------------------

    def _once(self, method: str, path: str, body: Optional[bytes]) -> Any:
        conn_cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        conn = conn_cls(self._host, self._port, timeout=self.timeout)
        try:
            conn.request(method, self._prefix + path, body=body, headers=self._headers)
            res = conn.getresponse()
            raw = res.read()
            try:
                data = json.loads(raw) if raw else {}
            except ValueError:
                raise ExitgymHTTPError(res.status, "bad_response", f"{method} {path}: the server answered non-JSON: {raw[:200]!r}")
            if res.status >= 400:
                err = data.get("error", {}) if isinstance(data, dict) else {}
                retry_after = res.getheader("retry-after")
                raise ExitgymHTTPError(res.status, str(err.get("code", "unknown")), str(err.get("message", raw[:200])), float(retry_after) if retry_after else None)
            return data
        finally:
            conn.close()

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """One call with retries; returns the parsed JSON answer or raises ``ExitgymHTTPError``."""
        payload = None if body is None else json.dumps(body).encode("utf-8")
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return self._once(method, path, payload)
            except ExitgymHTTPError as e:
                if e.status not in RETRY_STATUSES or attempt == self.retries:
                    raise
                time.sleep(e.retry_after if e.retry_after is not None else delay)
            except (ConnectionError, socket.timeout, http.client.HTTPException, OSError) as e:
                if attempt == self.retries:
                    raise ExitgymHTTPError(0, "unreachable", f"{method} {path}: {e}") from e
                time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    # -- envs and sessions -------------------------------------------------------------------

    def envs(self) -> List[Dict[str, Any]]:
        return self.request("GET", "/v1/envs")["envs"]

    def schema(self) -> Dict[str, Any]:
        """The server's OpenAPI document."""
        return self.request("GET", "/v1/schema")

    def create_session(self, env: str, options: Optional[Dict[str, Any]] = None) -> str:
        return self.request("POST", "/v1/sessions", {"env": env, "options": options or {}})["session"]

    def reset(self, session: str, start: Dict[str, Any], seed: Optional[int] = None, request_id: Optional[str] = None) -> Dict[str, Any]:
        body: Dict[str, Any] = {"start": start, "requestId": request_id or uuid.uuid4().hex}
        if seed is not None:
            body["seed"] = seed
        return self.request("POST", f"/v1/sessions/{session}/reset", body)

    def step(
        self,
        session: str,
        action: Optional[str] = None,
        tool_calls: Optional[List[Dict[str, Any]]] = None,
        content: Optional[str] = None,
        request_id: Optional[str] = None,
        auto_reset: Union[bool, Dict[str, Any], None] = None,
    ) -> Dict[str, Any]:
        """One action: text, or (BFCL) an OpenAI ``tool_calls`` list with optional ``content``.

        ``auto_reset`` (``True``, or ``{"start": ..., "seed": ...}``): when this step ends the
        episode, the server also resets the session and answers the next episode as ``reset``
        (``{observation, info, seed, tools?}``), or ``resetError``: one request per one-step episode.
        """
        body: Dict[str, Any] = {"requestId": request_id or uuid.uuid4().hex}
        if auto_reset is not None:
            body["autoReset"] = auto_reset
        if tool_calls is not None:
            body["tool_calls"] = tool_calls
            if content is not None:
                body["content"] = content
        else:
            body["action"] = action if action is not None else ""
        return self.request("POST", f"/v1/sessions/{session}/step", body)

    def trace(self, session: str) -> List[Dict[str, Any]]:
        return self.request("GET", f"/v1/sessions/{session}/trace")["turns"]

    def tools(self, session: str) -> List[Dict[str, Any]]:
        return self.request("GET", f"/v1/sessions/{session}/tools")["tools"]

    def delete(self, session: str) -> None:
        try:
            self.request("DELETE", f"/v1/sessions/{session}")
        except ExitgymHTTPError as e:
            if e.status != 404:
                raise

    def batch(self, ops: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Many session operations; one ``{status, result}`` or ``{status, error}`` per op."""
        return self.request("POST", "/v1/batch", {"ops": ops})["results"]

    # -- curriculum ----------------------------------------------------------------------------

    def create_curriculum(self, env: str, options: Optional[Dict[str, Any]] = None, strategy: str = "exit", **fields: Any) -> Dict[str, Any]:
        """Creates a curriculum; ``fields`` are ``id``, ``domain``, ``overrides``, ``seed``, ``leaseSeconds``, ``tasks``."""
        return self.request("POST", "/v1/curricula", {"env": env, "options": options or {}, "strategy": strategy, **fields})

    def curriculum(self, curriculum: str) -> Dict[str, Any]:
        return self.request("GET", f"/v1/curricula/{curriculum}")

    def next(self, curriculum: str, n: Optional[int] = None, group_keys: Optional[List[str]] = None) -> List[Dict[str, Any]]:
        """Start states; the same group key answers the same start (verl: pass the ``uid``)."""
        body: Dict[str, Any] = {}
        if n is not None:
            body["n"] = n
        if group_keys is not None:
            body["groupKeys"] = group_keys
        return self.request("POST", f"/v1/curricula/{curriculum}/next", body)["starts"]

    def report_group(self, curriculum: str, group: str, qualities: List[Optional[float]], traces: Optional[List[Any]] = None) -> Dict[str, Any]:
        body: Dict[str, Any] = {"group": group, "qualities": qualities}
        if traces is not None:
            body["traces"] = traces
        return self.request("POST", f"/v1/curricula/{curriculum}/report", body)

    def report_sample(self, curriculum: str, group: str, sample_id: str, quality: Optional[float], group_size: int, trace: Any = None) -> Dict[str, Any]:
        """One sample of a group; the server scores the group when ``group_size`` samples arrived.
        A repeated ``sample_id`` (a retry) is not counted twice."""
        sample = {"id": sample_id, "quality": quality, "trace": trace}
        return self.request("POST", f"/v1/curricula/{curriculum}/report", {"group": group, "sample": sample, "groupSize": group_size})

    def metrics(self, curriculum: str) -> Dict[str, float]:
        return self.request("GET", f"/v1/curricula/{curriculum}/metrics")["metrics"]

    def save(self, curriculum: str) -> str:
        return self.request("POST", f"/v1/curricula/{curriculum}/save")["saved"]

    def rollouts(self, group_size: int, endpoint: Dict[str, Any], **fields: Any) -> Dict[str, Any]:
        """The server plays ``group_size`` episodes against an OpenAI-compatible ``endpoint``
        (``{"baseURL", "model"}``); ``fields``: ``curriculum`` or ``env`` + ``start``, ``seed``,
        ``sampling``, ``logprobs``."""
        return self.request("POST", "/v1/rollouts", {"groupSize": group_size, "endpoint": endpoint, **fields})
