"""Shared pieces of the Python tests: the server URL, a char-level tokenizer and a scripted policy
for the fixture arithmetic env (task turns ask "Compute a + b.")."""

import os
import re
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

URL = os.environ.get("EXITGYM_URL", "")
ENV = os.environ.get("EXITGYM_TEST_ENV", "fixture-arith-py")
SKIP = "" if URL else "EXITGYM_URL is not set (run through clients/python/python.test.ts)"


class CharTokenizer:
    """One token per character; a chat template that renders ``<|role|>content`` lines."""

    def render(self, messages, add_generation_prompt=False):
        text = "".join(f"<|{m['role']}|>{m['content']}\n" for m in messages)
        return text + ("<|assistant|>" if add_generation_prompt else "")

    def apply_chat_template(self, messages, add_generation_prompt=False, tokenize=True, **_):
        text = self.render(messages, add_generation_prompt)
        return [ord(c) for c in text] if tokenize else text

    def encode(self, text):
        return [ord(c) for c in text]

    def decode(self, ids, skip_special_tokens=False):
        return "".join(chr(i) for i in ids)


def arith_reply(prompt_text, key):
    """Answers the last question right for about half of the keys (a stable hash), else off by one."""
    asks = re.findall(r"Compute (\d+) \+ (\d+)", prompt_text)
    a, b = (int(x) for x in asks[-1]) if asks else (0, 0)
    wrong = zlib.crc32(key.encode()) % 2
    return f"The answer is {a + b + wrong}"
