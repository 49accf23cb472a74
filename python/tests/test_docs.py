"""docs/python.md's runnable client examples (the Python blocks that make a
client of a broker on tcp://127.0.0.1:5555) run against a real broker and
print what the page says."""

import contextlib
import io
import os
import re
import unittest

import harness

PAGE = os.path.join(harness.SOURCE_DIR, "docs", "python.md")


def runnable_blocks():
    with open(PAGE) as f:
        text = f.read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    return [b for b in blocks
            if "tcp://127.0.0.1:5555" in b and re.search(r"^import .*skynet", b, re.M)
            and "Client(" in b and "Worker(" not in b]


class DocsTest(unittest.TestCase):
    def test_the_pages_examples_run(self):
        blocks = runnable_blocks()
        self.assertGreaterEqual(len(blocks), 2, "the page lost its runnable examples")
        with harness.Harness() as h:
            broker = h.broker()
            fib = h.service("fibonacci-service", broker=broker.endpoint)
            h.wait_service(broker.endpoint, "fibonacci", fib)
            outputs = []
            for block in blocks:
                code = block.replace("tcp://127.0.0.1:5555", broker.endpoint)
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(code, PAGE, "exec"), {"__name__": "docs_example"})
                outputs.append(out.getvalue())
        self.assertEqual(outputs[0], "{'result': 6765}\n")
        self.assertEqual(outputs[1], "{'result': 3}\n")


if __name__ == "__main__":
    unittest.main()
