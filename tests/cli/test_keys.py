"""Access keys from the command line, used as an app would use them.

Runs `cairn key create|list|revoke|rotate|temp` and `cairn bucket public ...` against a live
cairn, then uses what they printed with boto3 (and plain urllib for public buckets) against the
same server: each permission does what docs/access-keys.md says and no more, an object key is held
to its buckets and prefixes, list never shows a secret, rotation with and without a grace period,
revocation, temporary credentials with aws_session_token until their ttl, anonymous reads of a
public bucket, --local on a stopped server's data dir, usage errors for bad durations and
permissions, and requests counted per access key id on the metrics page.

Shares test_cli.py's helpers (the `cairn` runner, exit codes, CliTestCase). Run alone with
    python3 tests/cli/test_keys.py [--binary build/cairn] [--endpoint URL] [unittest args]
or through tests/cli/run.sh BINARY test_keys.
"""
import datetime
import os
import re
import secrets
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration", "py"))

import cairn_server  # noqa: E402
from cairn_server import CairnServer  # noqa: E402
from test_cli import (EXIT_AUTH, EXIT_NOT_FOUND, EXIT_S3, EXIT_USAGE, CliTestCase,  # noqa: E402
                      cairn)

PERMISSIONS = ("admin-rw", "admin-ro", "object-rw", "object-ro")
ISSUED_FIELDS = ("accessKeyId", "secretAccessKey", "name", "permission", "buckets", "prefixes",
                 "expiresAt")


def tearDownModule():
    cairn_server.shutdown()


def parse_time(iso):
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def key_client(t, issued):
    """A boto3 client signing with an issued key (and its session token, if it has one)."""
    import boto3
    from botocore.config import Config
    return boto3.client(
        "s3", endpoint_url=t.endpoint, region_name=t.region,
        aws_access_key_id=issued["accessKeyId"],
        aws_secret_access_key=issued["secretAccessKey"],
        aws_session_token=issued.get("sessionToken"),
        config=Config(signature_version="s3v4", connect_timeout=5, read_timeout=30,
                      retries={"total_max_attempts": 1}, s3={"addressing_style": "path"}))


def key_env(issued, t):
    """The CLI's environment for signing with an issued key."""
    env = {"CAIRN_ENDPOINT": t.endpoint, "CAIRN_ACCESS_KEY_ID": issued["accessKeyId"],
           "CAIRN_SECRET_ACCESS_KEY": issued["secretAccessKey"]}
    if issued.get("sessionToken"):
        env["CAIRN_SESSION_TOKEN"] = issued["sessionToken"]
    return env


def wait_until(timestamp):
    delay = timestamp - time.time()
    if delay > 0:
        time.sleep(delay)


class KeyTestCase(CliTestCase):
    def create(self, permission, *flags, name=None):
        name = name or "test-%s-%s" % (permission, secrets.token_hex(4))
        issued = self.ok_json("key", "create", "--name", name, "--permission", permission, *flags)
        self.addCleanup(cairn, "key", "revoke", issued["accessKeyId"])  # fails once revoked: fine
        return issued

    def assertDenied(self, call, code="AccessDenied", status=403):
        import botocore.exceptions
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call()
        self.assertClientError(ctx.exception, code, status)

    def assertWorks(self, s3, bucket, key="probe.txt"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"probe")
        self.assertEqual(s3.get_object(Bucket=bucket, Key=key)["Body"].read(), b"probe")


class KeyCreateTests(KeyTestCase):
    def test_object_rw_for_one_bucket_writes_there_only(self):
        b = self.new_bucket("keys")
        other = self.new_bucket("keys")
        issued = self.create("object-rw", "--bucket", b)
        for field in ISSUED_FIELDS:
            self.assertIn(field, issued)
        self.assertEqual(issued["permission"], "object-rw")
        self.assertEqual(issued["buckets"], [b])
        self.assertEqual(issued["prefixes"], [])
        self.assertIsNone(issued["expiresAt"])
        s3 = key_client(self.t, issued)
        self.assertWorks(s3, b)
        s3.delete_object(Bucket=b, Key="probe.txt")
        self.assertDenied(lambda: s3.put_object(Bucket=other, Key="x", Body=b"x"))
        self.assertDenied(lambda: s3.get_object(Bucket=other, Key="x"))
        self.assertDenied(lambda: s3.list_buckets())
        self.assertDenied(lambda: s3.create_bucket(Bucket="keys-" + secrets.token_hex(6)))

    def test_each_permission_does_what_it_says(self):
        b = self.new_bucket("keys")
        self.s3.put_object(Bucket=b, Key="seed.txt", Body=b"seed")
        for permission in PERMISSIONS:
            with self.subTest(permission=permission):
                issued = self.create(permission)
                self.assertEqual(issued["permission"], permission)
                s3 = key_client(self.t, issued)
                self.assertEqual(s3.get_object(Bucket=b, Key="seed.txt")["Body"].read(), b"seed")
                self.assertEqual(s3.list_objects_v2(Bucket=b)["KeyCount"], 1)
                if permission.endswith("-rw"):
                    s3.put_object(Bucket=b, Key="w.txt", Body=b"w")
                    s3.delete_object(Bucket=b, Key="w.txt")
                else:
                    self.assertDenied(lambda: s3.put_object(Bucket=b, Key="w.txt", Body=b"w"))
                if permission.startswith("admin-"):
                    self.assertIn(b, [x["Name"] for x in s3.list_buckets()["Buckets"]])
                else:
                    self.assertDenied(lambda: s3.list_buckets())
                # Only admin-rw manages keys; the CLI signed with the others is refused.
                r = cairn("key", "create", "--name", "nested", "--permission", "object-ro",
                          env=key_env(issued, self.t))
                if permission == "admin-rw":
                    self.assertEqual(r.returncode, 0, r.stderr)
                    cairn("key", "revoke", re.search(rb"access key id:\s+(\S+)",
                                                     r.stdout).group(1).decode())
                else:
                    self.assertEqual(r.returncode, EXIT_AUTH, r.stderr)
                    self.assertIn(b"AccessDenied", r.stderr)

    def test_prefix_scope(self):
        b = self.new_bucket("keys")
        self.s3.put_object(Bucket=b, Key="pub/a.txt", Body=b"a")
        self.s3.put_object(Bucket=b, Key="priv/b.txt", Body=b"b")
        issued = self.create("object-ro", "--bucket", b, "--prefix", "pub/")
        self.assertEqual(issued["prefixes"], ["pub/"])
        s3 = key_client(self.t, issued)
        self.assertEqual(s3.get_object(Bucket=b, Key="pub/a.txt")["Body"].read(), b"a")
        self.assertDenied(lambda: s3.get_object(Bucket=b, Key="priv/b.txt"))

    def test_expires(self):
        before = time.time()
        issued = self.create("object-ro", "--expires", "30d")
        expires = parse_time(issued["expiresAt"])
        self.assertAlmostEqual(expires, before + 30 * 86400, delta=120)

    def test_human_form_prints_the_secret_once_and_says_so(self):
        b = self.new_bucket("keys")
        r = self.ok("key", "create", "--name", "human", "--permission", "object-rw",
                    "--bucket", b)
        out = r.stdout.decode()
        key_id = re.search(r"access key id:\s+(\S+)", out).group(1)
        secret = re.search(r"secret access key:\s+(\S+)", out).group(1)
        self.addCleanup(cairn, "key", "revoke", key_id)
        self.assertIn("object-rw", out)
        self.assertIn("buckets: " + b, out)
        self.assertIn("cannot be shown again", r.stderr.decode())
        self.assertWorks(key_client(self.t, {"accessKeyId": key_id, "secretAccessKey": secret}),
                         b)

    def test_list_shows_keys_never_secrets(self):
        b = self.new_bucket("keys")
        name = "listed-" + secrets.token_hex(4)
        issued = self.create("object-rw", "--bucket", b, "--prefix", "up/", name=name)
        listing = self.ok_json("key", "list")
        mine = [k for k in listing["keys"] if k["accessKeyId"] == issued["accessKeyId"]]
        self.assertEqual(len(mine), 1, listing)
        key = mine[0]
        self.assertEqual((key["name"], key["permission"], key["buckets"], key["prefixes"]),
                         (name, "object-rw", [b], ["up/"]))
        for field in ("createdAt", "lastUsedAt", "expiresAt"):
            self.assertIn(field, key)
        for k in listing["keys"]:
            self.assertNotIn("secretAccessKey", k)
        table = self.ok("key", "list")
        for out in (table.stdout, cairn("key", "list", "--json").stdout):
            self.assertNotIn(issued["secretAccessKey"].encode(), out)
            self.assertNotIn(self.t.secret_key.encode(), out)
        lines = table.stdout.decode().splitlines()
        self.assertTrue(lines[0].startswith("ID"), lines[0])
        for column in ("NAME", "PERMISSION", "SCOPE", "CREATED", "LAST USED", "EXPIRES"):
            self.assertIn(column, lines[0])
        row = [line for line in lines if line.startswith(issued["accessKeyId"])]
        self.assertEqual(len(row), 1, table.stdout)
        self.assertIn(name, row[0])
        self.assertIn("buckets: %s; prefixes: up/" % b, row[0])

    def test_bad_durations_and_permissions_are_usage_errors(self):
        # Refused before anything is sent: the endpoint need not even answer.
        nowhere = {"CAIRN_ENDPOINT": "http://127.0.0.1:1"}
        for args in (["key", "create", "--name", "x", "--permission", "admin"],
                     ["key", "create", "--name", "x", "--permission", "object-rw", "--expires",
                      "soon"],
                     ["key", "create", "--name", "x", "--permission", "object-rw", "--expires",
                      "-1d"],
                     ["key", "create", "--name", "x", "--permission", "object-rw", "--expires",
                      "3w"],
                     ["key", "create", "--name", "x", "--permission", "admin-rw", "--bucket", "b"],
                     ["key", "create", "--permission", "object-rw"],
                     ["key", "rotate", "SOMEKEY", "--grace", "1y"],
                     ["key", "temp", "--ttl", "1.5s"],
                     ["key", "temp"],
                     ["key", "temp", "--ttl", "1h", "--permission", "root"],
                     ["key", "revoke", "../keys"]):
            with self.subTest(args=args):
                err = self.fails(EXIT_USAGE, *args, env=nowhere)
                self.assertNotIn("cannot reach", err)
        # What only the server knows to refuse (too short an expiry) is a usage error too.
        err = self.fails(EXIT_USAGE, "key", "create", "--name", "x", "--permission", "object-ro",
                         "--expires", "10s")
        self.assertIn("expire", err)


class KeyLifecycleTests(KeyTestCase):
    def test_revoke_stops_the_key_at_once(self):
        b = self.new_bucket("keys")
        issued = self.create("object-rw", "--bucket", b)
        s3 = key_client(self.t, issued)
        self.assertWorks(s3, b)
        out = self.ok_json("key", "revoke", issued["accessKeyId"])
        self.assertEqual(out, {"accessKeyId": issued["accessKeyId"], "revoked": True})
        self.assertDenied(lambda: s3.get_object(Bucket=b, Key="probe.txt"),
                          "InvalidAccessKeyId")
        self.assertNotIn(issued["accessKeyId"],
                         [k["accessKeyId"] for k in self.ok_json("key", "list")["keys"]])
        err = self.fails(EXIT_NOT_FOUND, "key", "revoke", issued["accessKeyId"])
        self.assertIn("NoSuchEntity", err)
        self.fails(EXIT_NOT_FOUND, "key", "rotate", "CAIRNNOSUCHKEY0000000")

    def test_rotate_without_grace_stops_the_old_secret_at_once(self):
        b = self.new_bucket("keys")
        issued = self.create("object-rw", "--bucket", b)
        rotated = self.ok_json("key", "rotate", issued["accessKeyId"])
        self.assertEqual(rotated["accessKeyId"], issued["accessKeyId"])
        self.assertNotEqual(rotated["secretAccessKey"], issued["secretAccessKey"])
        self.assertWorks(key_client(self.t, rotated), b)
        self.assertDenied(lambda: key_client(self.t, issued).list_objects_v2(Bucket=b),
                          ("SignatureDoesNotMatch", "InvalidAccessKeyId"))

    def test_rotate_with_grace_keeps_the_old_secret_until_it_ends(self):
        b = self.new_bucket("keys")
        issued = self.create("object-rw", "--bucket", b)
        before = time.time()
        r = self.ok("key", "rotate", issued["accessKeyId"], "--grace", "3s")
        out = r.stdout.decode()
        new_secret = re.search(r"secret access key:\s+(\S+)", out).group(1)
        grace_end = parse_time(re.search(r"old secret valid to:\s+(\S+)", out).group(1))
        self.assertAlmostEqual(grace_end, before + 3, delta=2)
        self.assertIn("cannot be shown again", r.stderr.decode())
        new = dict(issued, secretAccessKey=new_secret)
        old_s3 = key_client(self.t, issued)
        self.assertWorks(key_client(self.t, new), b)
        self.assertWorks(old_s3, b)
        wait_until(grace_end + 1)
        self.assertDenied(lambda: old_s3.list_objects_v2(Bucket=b),
                          ("SignatureDoesNotMatch", "InvalidAccessKeyId"))
        self.assertWorks(key_client(self.t, new), b)

    def test_temporary_credentials_work_until_their_ttl(self):
        b = self.new_bucket("keys")
        parent = self.create("object-rw", "--bucket", b)
        temp = self.ok_json("key", "temp", "--parent", parent["accessKeyId"], "--ttl", "4s",
                            "--prefix", "user-1/")
        for field in ("accessKeyId", "secretAccessKey", "sessionToken", "expiresAt"):
            self.assertTrue(temp.get(field), temp)
        self.assertEqual(temp["parent"], parent["accessKeyId"])
        self.assertEqual(temp["prefixes"], ["user-1/"])
        s3 = key_client(self.t, temp)
        s3.put_object(Bucket=b, Key="user-1/a.txt", Body=b"a")
        self.assertDenied(lambda: s3.put_object(Bucket=b, Key="user-2/a.txt", Body=b"a"))
        # The token is part of the credential: without it the key id is not enough.
        no_token = dict(temp)
        del no_token["sessionToken"]
        import botocore.exceptions
        with self.assertRaises(botocore.exceptions.ClientError):
            key_client(self.t, no_token).put_object(Bucket=b, Key="user-1/b.txt", Body=b"b")
        wait_until(parse_time(temp["expiresAt"]) + 1)
        self.assertDenied(lambda: s3.put_object(Bucket=b, Key="user-1/c.txt", Body=b"c"),
                          "ExpiredToken", 400)

    def test_the_cli_signs_with_temporary_credentials_from_the_environment(self):
        b = self.new_bucket("keys")
        parent = self.create("object-rw", "--bucket", b)
        temp = self.ok_json("key", "temp", "--parent", parent["accessKeyId"], "--ttl", "1h",
                            "--prefix", "user-1/")
        src = os.path.join(self.tmp, "upload.txt")
        with open(src, "wb") as f:
            f.write(b"from the cli")
        env = key_env(temp, self.t)
        self.ok("object", "put", b + "/user-1/upload.txt", "--file", src, env=env)
        r = self.ok("object", "get", b + "/user-1/upload.txt", "--pipe", env=env)
        self.assertEqual(r.stdout, b"from the cli")
        self.fails(EXIT_AUTH, "object", "put", b + "/user-2/upload.txt", "--file", src, env=env)
        del env["CAIRN_SESSION_TOKEN"]
        self.fails(EXIT_AUTH, "object", "get", b + "/user-1/upload.txt", "--pipe", env=env)

    def test_temporary_credentials_die_with_their_parent(self):
        b = self.new_bucket("keys")
        parent = self.create("object-rw", "--bucket", b)
        r = self.ok("key", "temp", "--parent", parent["accessKeyId"], "--ttl", "1h")
        out = r.stdout.decode()
        temp = {"accessKeyId": re.search(r"access key id:\s+(\S+)", out).group(1),
                "secretAccessKey": re.search(r"secret access key:\s+(\S+)", out).group(1),
                "sessionToken": re.search(r"session token:\s+(\S+)", out).group(1)}
        s3 = key_client(self.t, temp)
        self.assertWorks(s3, b)
        self.ok("key", "revoke", parent["accessKeyId"])
        self.assertDenied(lambda: s3.get_object(Bucket=b, Key="probe.txt"), "InvalidAccessKeyId")

    def test_temp_signed_by_an_object_key_defaults_to_it(self):
        b = self.new_bucket("keys")
        parent = self.create("object-rw", "--bucket", b)
        temp = self.ok_json("key", "temp", "--ttl", "1h", "--permission", "object-ro",
                            env=key_env(parent, self.t))
        self.assertEqual(temp["parent"], parent["accessKeyId"])
        self.assertEqual(temp["permission"], "object-ro")
        s3 = key_client(self.t, temp)
        s3.list_objects_v2(Bucket=b)
        self.assertDenied(lambda: s3.put_object(Bucket=b, Key="x", Body=b"x"))


class PublicBucketTests(KeyTestCase):
    def test_enable_serves_anonymous_reads_disable_stops_them(self):
        b = self.new_bucket("pub")
        self.s3.put_object(Bucket=b, Key="index.html", Body=b"<h1>hello</h1>",
                           ContentType="text/html")
        self.assertEqual(self.ok_json("bucket", "public", "status", b), {"bucket": b,
                                                                         "public": False})
        self.assertEqual(cairn_server.anonymous("GET", "/%s/index.html" % b).status, 403)

        self.assertEqual(self.ok_json("bucket", "public", "enable", b), {"bucket": b,
                                                                         "public": True})
        r = cairn_server.anonymous("GET", "/%s/index.html" % b)
        self.assertEqual((r.status, r.body), (200, b"<h1>hello</h1>"))
        self.assertEqual(cairn_server.anonymous("HEAD", "/%s/index.html" % b).status, 200)
        self.assertEqual(cairn_server.anonymous("GET", "/%s" % b).status, 403)  # no listing
        self.assertEqual(cairn_server.anonymous("PUT", "/%s/x" % b, body=b"x").status, 403)
        self.assertIn(b"is public", self.ok("bucket", "public", "status", b).stdout)

        self.ok("bucket", "public", "disable", b)
        self.assertEqual(cairn_server.anonymous("GET", "/%s/index.html" % b).status, 403)
        self.assertIn(b"is private", self.ok("bucket", "public", "status", b).stdout)

    def test_missing_bucket_and_non_admin_key(self):
        self.fails(EXIT_NOT_FOUND, "bucket", "public", "status", "no-such-" + secrets.token_hex(4))
        b = self.new_bucket("pub")
        issued = self.create("object-rw", "--bucket", b)
        self.fails(EXIT_AUTH, "bucket", "public", "enable", b, env=key_env(issued, self.t))
        self.assertEqual(self.ok_json("bucket", "public", "status", b)["public"], False)


class KeyMetricsTests(KeyTestCase):
    def test_requests_are_counted_per_access_key_id(self):
        b = self.new_bucket("keys")
        issued = self.create("object-rw", "--bucket", b)
        s3 = key_client(self.t, issued)
        for i in range(3):
            s3.put_object(Bucket=b, Key="m%d" % i, Body=b"m")
        self.assertEqual(cairn_server.anonymous("GET", "/%s/m0" % b).status, 403)
        page = cairn_server.raw_request("GET", "/_cairn/metrics").body.decode()
        self.assertIn('cairn_access_key_requests_total{access_key_id="%s"} 3'
                      % issued["accessKeyId"], page)
        self.assertRegex(page, r'cairn_access_key_requests_total\{access_key_id=""\} \d+')
        self.assertNotIn(issued["secretAccessKey"], page)

    def test_temporary_credentials_count_as_their_parent(self):
        b = self.new_bucket("keys")
        parent = self.create("object-rw", "--bucket", b)
        for i in range(2):  # two credentials, one request each: two more for the parent
            temp = self.ok_json("key", "temp", "--parent", parent["accessKeyId"], "--ttl", "1h")
            key_client(self.t, temp).put_object(Bucket=b, Key="t%d" % i, Body=b"t")
        page = cairn_server.raw_request("GET", "/_cairn/metrics").body.decode()
        self.assertIn('cairn_access_key_requests_total{access_key_id="%s"} 2'
                      % parent["accessKeyId"], page)
        self.assertNotIn(temp["accessKeyId"], page)
        self.assertNotIn(temp["sessionToken"], page)


class HelpTests(KeyTestCase):
    def test_help_has_examples(self):
        for cmd in (["key"], ["key", "create"], ["key", "list"], ["key", "revoke"],
                    ["key", "rotate"], ["key", "temp"], ["bucket", "public"],
                    ["bucket", "public", "enable"], ["bucket", "public", "disable"],
                    ["bucket", "public", "status"]):
            with self.subTest(cmd=cmd):
                r = cairn(*(cmd + ["--help"]))
                self.assertEqual(r.returncode, 0)
                self.assertIn(b"Examples:", r.stdout)
                self.assertIn(b"cairn " + " ".join(cmd).encode(), r.stdout)
                if len(cmd) > 1 and cmd[-1] != "public":
                    self.assertIn(b"--json", r.stdout)


@unittest.skipIf(cairn_server.external(), "--local needs a cairn we start ourselves")
class LocalKeyTests(KeyTestCase):
    def test_create_and_list_on_a_stopped_server_then_use_the_key(self):
        server = CairnServer(name="keys-local")
        self.addCleanup(server.cleanup)
        server.start()
        admin = cairn_server.client(server.target())
        admin.create_bucket(Bucket="local")
        server.stop()

        local = ("--local", "--data-dir", server.data_dir)
        issued = self.ok_json("key", "create", "--name", "made-offline", "--permission",
                              "object-rw", "--bucket", "local", *local, creds=False)
        listing = self.ok_json("key", "list", *local, creds=False)
        ids = [k["accessKeyId"] for k in listing["keys"]]
        self.assertIn(issued["accessKeyId"], ids)
        # The one-off key --local signs with is not one of the server's keys.
        self.assertFalse([i for i in ids if i.startswith("CAIRNLOCAL")], ids)
        self.assertNotIn(issued["secretAccessKey"].encode(),
                         self.ok("key", "list", *local, creds=False).stdout)

        server.start()
        self.assertWorks(key_client(server.target(), issued), "local")
        # While the server runs, --local refuses.
        err = self.fails(EXIT_S3, "key", "list", *local, creds=False)
        self.assertIn("in use by another cairn process", err)


if __name__ == "__main__":
    cairn_server.main()
