"""7/MDP frames: builders give exactly the layouts of docs/design.md, and
parsers refuse everything else with ProtocolError."""

import unittest

import harness  # noqa: F401
from skynet import mdp, ProtocolError


class ClientFramesTest(unittest.TestCase):
    def test_request_layout(self):
        self.assertEqual(mdp.client_request("fibonacci", [b"h", b"p"]),
                         [b"", b"MDPC01", b"fibonacci", b"h", b"p"])

    def test_request_needs_a_body(self):
        with self.assertRaises(ValueError):
            mdp.client_request("s", [])

    def test_reply_parse(self):
        reply = mdp.parse_client_reply([b"", b"MDPC01", b"echo", b"a", b"b"])
        self.assertEqual((reply.service, reply.body), (b"echo", [b"a", b"b"]))

    def test_bad_replies(self):
        for frames in ([], [b""], [b"", b"MDPC01"], [b"x", b"MDPC01", b"s", b"b"],
                       [b"", b"MDPW01", b"s", b"b"], [b"", b"MDPC02", b"s"]):
            with self.subTest(frames=frames), self.assertRaises(ProtocolError):
                mdp.parse_client_reply(frames)


class WorkerFramesTest(unittest.TestCase):
    def test_layouts(self):
        self.assertEqual(mdp.ready("echo@1.0"), [b"", b"MDPW01", b"\x01", b"echo@1.0"])
        self.assertEqual(mdp.worker_reply(b"tok", [b"h", b"r"]),
                         [b"", b"MDPW01", b"\x03", b"tok", b"", b"h", b"r"])
        self.assertEqual(mdp.heartbeat(), [b"", b"MDPW01", b"\x04"])
        self.assertEqual(mdp.disconnect(), [b"", b"MDPW01", b"\x05"])

    def test_parse_each_command(self):
        m = mdp.parse_worker_message([b"", b"MDPW01", b"\x02", b"addr", b"", b"h", b"p"])
        self.assertEqual((m.name, m.client_address, m.body), ("REQUEST", b"addr", [b"h", b"p"]))
        m = mdp.parse_worker_message(mdp.worker_reply(b"a", [b"x"]))
        self.assertEqual((m.name, m.client_address, m.body), ("REPLY", b"a", [b"x"]))
        self.assertEqual(mdp.parse_worker_message(mdp.ready("s")).service, b"s")
        self.assertEqual(mdp.parse_worker_message(mdp.heartbeat()).name, "HEARTBEAT")
        self.assertEqual(mdp.parse_worker_message(mdp.disconnect()).name, "DISCONNECT")

    def test_bad_worker_messages(self):
        bad = [
            [], [b"", b"MDPW01"], [b"", b"MDPC01", b"\x04"], [b"x", b"MDPW01", b"\x04"],
            [b"", b"MDPW01", b"\x09"], [b"", b"MDPW01", b"\x04", b"extra"],
            [b"", b"MDPW01", b"\x01"], [b"", b"MDPW01", b"\x01", b""],
            [b"", b"MDPW01", b"\x02", b"addr", b""],           # no body
            [b"", b"MDPW01", b"\x02", b"addr", b"x", b"body"],  # no empty frame
            [b"", b"MDPW01", b"\x03", b"addr"],
        ]
        for frames in bad:
            with self.subTest(frames=frames), self.assertRaises(ProtocolError):
                mdp.parse_worker_message(frames)


if __name__ == "__main__":
    unittest.main()
