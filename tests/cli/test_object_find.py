"""`cairn object find BUCKET TEXT`: the keys containing TEXT, one per line, every page of the
admin API's key search followed to the end (docs/access-keys.md, "Searching keys").

Shares test_cli.py's helpers. Run alone with
    python3 tests/cli/test_object_find.py [--binary build/cairn] [--endpoint URL]
or through tests/cli/run.sh BINARY test_object_find.
"""
import os
import secrets
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration", "py"))

import cairn_server  # noqa: E402
from admin_api import AdminApi  # noqa: E402
from test_cli import EXIT_AUTH, EXIT_NOT_FOUND, EXIT_USAGE, CliTestCase, cairn  # noqa: E402

# 1,500 keys holding "item": more than the largest page, so finding them all takes two.
ITEMS = ["item-%04d" % i for i in range(1500)]
OTHERS = ["docs/Report-0242.PDF", "docs/a_b.txt", "docs/axb.txt", "logs/0242.log"]
KEYS = sorted(ITEMS + OTHERS)


def tearDownModule():
    cairn_server.shutdown()


class ObjectFindTests(CliTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket, _ = cls.filled_bucket("find", KEYS)

    @classmethod
    def tearDownClass(cls):
        cls.drop_filled_bucket(cls.bucket, KEYS)
        super().tearDownClass()

    def find(self, *args, **kwargs):
        """The keys `cairn object find` printed, one per line."""
        return self.ok("object", "find", self.bucket, *args, **kwargs).stdout.decode().splitlines()

    def test_prints_each_matching_key_on_a_line(self):
        self.assertEqual(self.find("0242"), ["docs/Report-0242.PDF", "item-0242", "logs/0242.log"])

    def test_follows_every_cursor(self):
        self.assertEqual(self.find("item"), ITEMS)

    def test_prefix_limit_and_case(self):
        self.assertEqual(self.find("0242", "--prefix", "logs/"), ["logs/0242.log"])
        r = self.ok("object", "find", self.bucket, "item", "--limit", "5")
        self.assertEqual(r.stdout.decode().splitlines(), ITEMS[:5])
        self.assertIn(b"--limit 5", r.stderr)
        self.assertEqual(self.find("report"), [])
        self.assertEqual(self.find("report", "-i"), ["docs/Report-0242.PDF"])

    def test_underscore_is_a_plain_character(self):
        self.assertEqual(self.find("a_b"), ["docs/a_b.txt"])

    def test_json(self):
        answer = self.ok_json("object", "find", self.bucket, "0242", "--limit", "2")
        self.assertEqual([m["key"] for m in answer["matches"]],
                         ["docs/Report-0242.PDF", "item-0242"])
        self.assertTrue(answer["truncated"])
        self.assertEqual(answer["matches"][1]["size"], len("item-0242"))

    def test_no_match_prints_nothing(self):
        r = self.ok("object", "find", self.bucket, "no-such-text")
        self.assertEqual((r.stdout, r.stderr), (b"", b""))

    def test_errors(self):
        self.fails(EXIT_NOT_FOUND, "object", "find", "no-such-bucket-" + secrets.token_hex(4), "a")
        self.fails(EXIT_USAGE, "object", "find", self.bucket, "")
        self.fails(EXIT_USAGE, "object", "find", self.bucket)
        self.fails(EXIT_USAGE, "object", "find", self.bucket, "a", "--limit", "ten")

    def test_prefix_scoped_key_finds_inside_its_prefix_only(self):
        admin = AdminApi(self.t)
        scoped = admin.create_key("object-ro", buckets=[self.bucket], prefixes=["logs/"])
        self.addCleanup(admin.revoke, scoped.access_key)
        env = {"CAIRN_ACCESS_KEY_ID": scoped.access_key,
               "CAIRN_SECRET_ACCESS_KEY": scoped.secret_key}
        self.assertEqual(self.find("0242", "--prefix", "logs/", env=env), ["logs/0242.log"])
        err = self.fails(EXIT_AUTH, "object", "find", self.bucket, "0242", env=env)
        self.assertIn("AccessDenied", err)

    def test_help_has_examples(self):
        r = cairn("object", "find", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"Examples:", r.stdout)
        self.assertIn(b"--prefix", r.stdout)


if __name__ == "__main__":
    cairn_server.main()
