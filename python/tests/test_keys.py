"""CURVE key files: those `sky keygen` writes are read, a secret others may
read is refused as the C++ binaries refuse it, and applied keys complete a
real CURVE handshake."""

import os
import unittest

import harness
import zmq

from skynet import keys, KeyFileError, mdp


class KeyFilesTest(unittest.TestCase):
    def setUp(self):
        self.h = harness.Harness()
        self.addCleanup(self.h.close)

    def test_reads_what_sky_keygen_writes(self):
        secret_file, public_file = self.h.keygen("frontend")
        pair = keys.load_secret_key_file(secret_file)
        self.assertTrue(keys.is_z85_key(pair.secret_key))
        self.assertEqual(pair.public_key, keys.load_public_key_file(public_file))
        self.assertNotIn(pair.secret_key, repr(pair))

    def test_secret_readable_by_others_is_refused(self):
        secret_file, _ = self.h.keygen("leaky")
        os.chmod(secret_file, 0o640)
        with self.assertRaises(KeyFileError) as caught:
            keys.load_secret_key_file(secret_file)
        self.assertIn("0640", str(caught.exception))
        self.assertIn("chmod 600", str(caught.exception))

    def test_missing_and_empty_files(self):
        with self.assertRaises(KeyFileError):
            keys.load_public_key_file(os.path.join(self.h.dir, "none.pub"))
        path = os.path.join(self.h.dir, "empty.key")
        with open(path, "w") as f:
            f.write("# nothing here\n\nnot-a-key\n")
        os.chmod(path, 0o600)
        with self.assertRaises(KeyFileError):
            keys.load_secret_key_file(path)
        with self.assertRaises(KeyFileError):
            keys.load_public_key_file(path)

    def test_z85_check(self):
        public, _ = zmq.curve_keypair()
        self.assertTrue(keys.is_z85_key(public.decode()))
        for text in ("", "short", public.decode()[:-1] + "~", public.decode() + "x", 5):
            self.assertFalse(keys.is_z85_key(text))

    def test_applied_keys_handshake_with_a_curve_server(self):
        server_key_file, server_pub = self.h.keygen("server")
        client_key_file, _ = self.h.keygen("client")
        ctx = zmq.Context()
        self.addCleanup(ctx.term)
        server = ctx.socket(zmq.ROUTER)
        client = ctx.socket(zmq.DEALER)
        for s in (server, client):
            s.linger = 0
            self.addCleanup(s.close)
        keys.apply_server_keys(server, server_key_file)
        port = server.bind_to_random_port("tcp://127.0.0.1")
        keys.apply_client_keys(client, client_key_file, server_pub)
        client.connect(f"tcp://127.0.0.1:{port}")
        client.send_multipart(mdp.client_request("echo", [b"hi"]))
        self.assertTrue(server.poll(int(harness.scaled(10) * 1000)))
        frames = server.recv_multipart()
        self.assertEqual(frames[1:], [b"", b"MDPC01", b"echo", b"hi"])


if __name__ == "__main__":
    unittest.main()
