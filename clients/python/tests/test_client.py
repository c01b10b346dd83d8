import asyncio
import http.server
import json
import re
import threading
import unittest
import uuid

from helpers import ENV, SKIP, URL, arith_reply
from exitgym_client import AsyncClient, Client, ExitgymEnv, ExitgymHTTPError, base_start


@unittest.skipIf(SKIP, SKIP)
class SessionTest(unittest.TestCase):
    def setUp(self):
        self.client = Client(URL)

    def test_episode_and_errors(self):
        with ExitgymEnv(self.client, ENV) as env:
            obs, info = env.reset("arith/0", seed=1)
            self.assertIn("Compute", obs[-1]["content"])
            _, reward, terminated, _, info = env.step(arith_reply(obs[-1]["content"], "right"))
            self.assertTrue(terminated)
            self.assertIn(reward, (0.0, 1.0, 0, 1))
            self.assertEqual(len(env.trace()), 1)
            with self.assertRaises(ExitgymHTTPError) as e:
                env.step("again")
            self.assertEqual((e.exception.status, e.exception.code), (409, "episode_ended"))
        with self.assertRaises(ExitgymHTTPError) as e:
            self.client.create_session(ENV, {"dataDir": "/etc"})
        self.assertEqual(e.exception.status, 400)
        self.assertIn("dataDir", e.exception.message)
        with self.assertRaises(ExitgymHTTPError) as e:
            self.client.step("no-such-session", "1")
        self.assertEqual(e.exception.status, 404)

    def test_retried_step_is_answered_not_replayed(self):
        s = self.client.create_session(ENV)
        try:
            self.client.reset(s, base_start("arith/1"))
            rid = uuid.uuid4().hex
            first = self.client.step(s, "1", request_id=rid)
            again = self.client.step(s, "1", request_id=rid)
            self.assertEqual(first, again)
            self.assertEqual(len(self.client.trace(s)[0]["iterates"]), 1)
        finally:
            self.client.delete(s)

    def test_auto_reset_plays_one_step_episodes_one_request_each(self):
        s = self.client.create_session(ENV)
        try:
            first = self.client.reset(s, base_start("arith/0"), seed=5)  # arith/0: one turn
            prompt = first["observation"][-1]["content"]
            seeds = []
            for _ in range(3):
                a, b = (int(x) for x in re.findall(r"Compute (\d+) \+ (\d+)", prompt)[-1])
                out = self.client.step(s, f"The answer is {a + b}", auto_reset=True)
                self.assertTrue(out["terminated"])
                self.assertEqual(out["reward"], 1)
                seeds.append(out["reset"]["seed"])
                prompt = out["reset"]["observation"][-1]["content"]
            self.assertEqual(seeds, [6, 7, 8])
            named = self.client.step(s, "no answer", auto_reset={"start": base_start("arith/3"), "seed": 2})
            self.assertEqual((named["reward"], named["reset"]["seed"]), (0, 2))
            self.assertIn("Compute", named["reset"]["observation"][-1]["content"])
        finally:
            self.client.delete(s)

    def test_batch(self):
        results = self.client.batch([{"op": "create", "env": ENV}, {"op": "create", "env": "nope"}])
        self.assertEqual([r["status"] for r in results], [201, 404])
        s = results[0]["result"]["session"]
        out = self.client.batch([{"op": "reset", "session": s, "start": base_start("arith/0")}, {"op": "step", "session": s, "action": "1"}, {"op": "delete", "session": s}])
        self.assertEqual([r["status"] for r in out], [200, 200, 200])

    def test_schema_is_served(self):
        doc = self.client.schema()
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertIn("/v1/curricula/{id}/report", doc["paths"])


@unittest.skipIf(SKIP, SKIP)
class AsyncTest(unittest.TestCase):
    def test_concurrent_episodes(self):
        async def one(c, i):
            s = await c.create_session(ENV)
            r = await c.reset(s, base_start(f"arith/{3 * i}"))
            step = await c.step(s, arith_reply(r["observation"][-1]["content"], "x"))
            await c.delete(s)
            return step["terminated"]

        async def main():
            c = AsyncClient(URL)
            return await asyncio.gather(*(one(c, i) for i in range(8)))

        self.assertEqual(asyncio.run(main()), [True] * 8)


@unittest.skipIf(SKIP, SKIP)
class CurriculumTest(unittest.TestCase):
    def test_next_is_idempotent_per_key_and_groups_assemble(self):
        c = Client(URL)
        cid = "py-" + uuid.uuid4().hex[:8]
        c.create_curriculum(ENV, id=cid, domain="math", overrides={"capacity": 8, "minSize": 1}, seed=3)
        a = c.next(cid, group_keys=["uid-a"])[0]
        b = c.next(cid, group_keys=["uid-a"])[0]
        self.assertEqual(a["group"], b["group"])
        self.assertEqual(a["start"], b["start"])
        for j, q in enumerate([1.0, 0.0, 1.0]):
            r = c.report_sample(cid, a["group"], f"s{j}", q, 3)
            self.assertEqual(r["complete"], j == 2)
        m = c.metrics(cid)
        self.assertEqual(m["curriculum/groups_completed"], 1)
        # Qualities 1, 0, 1: learnability p(1 - p) = 2/9 (no traces, so nothing to insert for a base start).
        self.assertAlmostEqual(m["curriculum/learnability_mean"], 2 / 9)


class _Flaky(http.server.BaseHTTPRequestHandler):
    calls = 0

    def do_POST(self):
        type(self).calls += 1
        self.rfile.read(int(self.headers["content-length"]))
        if type(self).calls <= 2:
            body = json.dumps({"error": {"code": "capacity", "message": "busy"}}).encode()
            self.send_response(503)
            self.send_header("retry-after", "0")
        else:
            body = json.dumps({"session": "s1", "spec": {}}).encode()
            self.send_response(201)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RetryTest(unittest.TestCase):
    def test_503_with_retry_after_is_retried_then_succeeds(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            c = Client(f"http://127.0.0.1:{server.server_address[1]}", backoff=0.01)
            self.assertEqual(c.create_session("x"), "s1")
            self.assertEqual(_Flaky.calls, 3)
            _Flaky.calls = 0
            with self.assertRaises(ExitgymHTTPError) as e:
                Client(f"http://127.0.0.1:{server.server_address[1]}", retries=1, backoff=0.01).create_session("x")
            self.assertEqual(e.exception.status, 503)
        finally:
            server.shutdown()

    def test_unreachable_is_an_error_with_a_code(self):
        with self.assertRaises(ExitgymHTTPError) as e:
            Client("http://127.0.0.1:1", retries=1, backoff=0.01).envs()
        self.assertEqual(e.exception.code, "unreachable")


if __name__ == "__main__":
    unittest.main()
