"""Scale-out: three cairn gateways on one PostgreSQL metadata store and one blob store
(cairn_cluster.py; the blob store is CAIRN_TEST_BLOB_URL or a shared file:// directory), driven at
once with boto3 as clients behind a load balancer would drive them. What one gateway acknowledged,
every gateway serves; conditional creates racing across gateways have one winner; access keys made
or revoked on one gateway hold on all; a gateway killed mid-upload loses nothing acknowledged and
shows nothing half-written, while the others go on. Needs PostgreSQL (pg_service.py): without it
the suite fails with the reason."""
import concurrent.futures
import hashlib
import os
import random
import socket
import threading
import time
import unittest

from botocore.exceptions import ClientError

import admin_api
import cairn_cluster
import cairn_server
import s3sig
from cairn_server import extra_headers

KiB = 1024
MiB = 1024 * KiB
PART = 5 * MiB  # the smallest part before the last
PROPAGATION = 1.0  # seconds: how soon a change on one gateway must hold on the others
POLL = 0.2  # at most 6 tries in PROPAGATION: under --auth-failure-limit's 10 a minute per key

cluster = None


def setUpModule():
    global cluster
    if cairn_server.external():
        raise unittest.SkipTest("the scale-out suite starts its own gateways")
    cluster = cairn_cluster.Cluster(3, name="scale-out").start()


def tearDownModule():
    if cluster is not None:
        cluster.cleanup()


def md5(data):
    return hashlib.md5(data).hexdigest()


def read_md5(s3, bucket, key):
    """The MD5 of what the key holds, or None when it is absent."""
    try:
        return md5(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise


def listed_keys(s3, bucket, prefix=""):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def within(seconds, attempt):
    """Calls attempt() every POLL seconds until it returns None (done) or `seconds` have passed;
    returns (None, elapsed) or (the last thing it returned, elapsed)."""
    start = time.monotonic()
    while True:
        why = attempt()
        elapsed = time.monotonic() - start
        if why is None or elapsed >= seconds:
            return why, elapsed
        time.sleep(POLL)


class ClusterTestCase(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.cluster = cluster

    def setUp(self):
        self.a, self.b, self.c = self.cluster.clients(read_timeout=60)
        self.gateways = (self.a, self.b, self.c)

    def new_bucket(self, prefix):
        """A bucket made through the first gateway (dropped with the cluster's database)."""
        name = "%s-%s" % (prefix, os.urandom(4).hex())
        self.a.create_bucket(Bucket=name)
        return name

    def assertEverywhere(self, bucket, key, expected_md5, what):
        for i, s3 in enumerate(self.gateways):
            self.assertEqual(read_md5(s3, bucket, key), expected_md5,
                             "%s: %r read through gateway %d" % (what, key, i))


class MultipartAcrossGatewaysTests(ClusterTestCase):
    def test_parts_on_three_gateways_complete_on_the_third(self):
        bucket = self.new_bucket("mpu")
        key = "spread/object.bin"
        upload_id = self.a.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        bodies = [os.urandom(PART), os.urandom(PART), os.urandom(3 * MiB + 17)]

        def upload(n):  # part n+1 through gateway n, all three at once
            return self.gateways[n].upload_part(Bucket=bucket, Key=key, UploadId=upload_id,
                                                PartNumber=n + 1, Body=bodies[n])["ETag"]

        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            etags = list(pool.map(upload, range(3)))
        for i, s3 in enumerate(self.gateways):
            parts = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)["Parts"]
            self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in parts],
                             [(n + 1, etags[n], len(bodies[n])) for n in range(3)],
                             "ListParts through gateway %d" % i)
        self.c.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": n + 1, "ETag": etags[n]}
                                       for n in range(3)]})
        whole = b"".join(bodies)
        for i, s3 in enumerate(self.gateways):
            got = s3.get_object(Bucket=bucket, Key=key)
            self.assertEqual(got["ContentLength"], len(whole), "gateway %d" % i)
            self.assertTrue(got["Body"].read() == whole, "gateway %d: bytes differ" % i)
            ranged = s3.get_object(Bucket=bucket, Key=key, Range="bytes=%d-%d" % (PART - 5,
                                                                                  PART + 4))
            self.assertEqual(ranged["Body"].read(), whole[PART - 5:PART + 5], "gateway %d" % i)
        for i, s3 in enumerate(self.gateways):
            self.assertEqual(s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []), [],
                             "gateway %d still lists the completed upload" % i)


class ConditionalCreateRaceTests(ClusterTestCase):
    ROUNDS = 20

    def test_if_none_match_races_across_gateways_have_one_winner(self):
        bucket = self.new_bucket("race")
        clients = self.cluster.clients()  # one per racer: boto3 clients are not shared here
        problems = []
        for rnd in range(self.ROUNDS):
            key = "race/%02d" % rnd
            size = 1 * KiB if rnd % 2 else 300 * KiB  # kept in the metadata, then a blob
            bodies = [("round %d, gateway %d|" % (rnd, g)).encode() * (size // 20)
                      for g in range(3)]
            barrier = threading.Barrier(3, timeout=30)

            def put(g):
                s3 = clients[g]
                barrier.wait()
                try:
                    with extra_headers(s3, {"If-None-Match": "*"}, "PutObject"):
                        s3.put_object(Bucket=bucket, Key=key, Body=bodies[g])
                    return 200
                except ClientError as e:
                    return e.response["ResponseMetadata"]["HTTPStatusCode"]

            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                statuses = list(pool.map(put, range(3)))
            winners = [g for g, s in enumerate(statuses) if s == 200]
            if sorted(statuses) != [200, 412, 412]:
                problems.append("round %d: gateways answered %s" % (rnd, statuses))
            if len(winners) != 1:
                continue
            want = md5(bodies[winners[0]])
            for g, s3 in enumerate(self.gateways):
                got = read_md5(s3, bucket, key)
                if got != want:
                    problems.append("round %d: gateway %d reads %s, not the winner's (gateway %d)"
                                    % (rnd, g, got, winners[0]))
        self.assertEqual(problems, [])


class AccessKeyTests(ClusterTestCase):
    @staticmethod
    def refusal(s3, bucket):
        """None when the client's key lists `bucket`, else the error code it got."""
        try:
            s3.list_objects_v2(Bucket=bucket)
            return None
        except ClientError as e:
            return e.response["Error"].get("Code")

    def make_key(self, bucket):
        """An object-rw key made through gateway 0: a client of it per gateway (made before the
        clock starts: a boto3 client takes a while to make)."""
        admin = admin_api.AdminApi(self.cluster.gateways[0].target())
        creds = admin.create_key("object-rw", name="scale-out")
        self.addCleanup(admin.request, "DELETE", "keys/" + creds.access_key)
        clients = [creds.s3(g.target()) for g in self.cluster.gateways]
        self.assertIsNone(self.refusal(clients[0], bucket), "the gateway that made the key")
        return creds, clients

    def test_a_key_made_on_one_gateway_works_on_the_others(self):
        bucket = self.new_bucket("keys")
        _, clients = self.make_key(bucket)
        for g in (1, 2):
            why, elapsed = within(PROPAGATION, lambda: self.refusal(clients[g], bucket))
            self.assertIsNone(why, "a key made on gateway 0 is refused by gateway %d %.1f s later"
                              % (g, elapsed))

    def test_a_key_revoked_on_one_gateway_is_refused_by_the_others_within_a_second(self):
        bucket = self.new_bucket("revoke")
        creds, clients = self.make_key(bucket)
        for g in (1, 2):
            why, _ = within(PROPAGATION, lambda: self.refusal(clients[g], bucket))
            if why is not None:
                self.fail("cannot test revocation: gateway %d refuses the new key (%s)" % (g, why))
        admin_api.AdminApi(self.cluster.gateways[1].target()).revoke(creds.access_key)
        for g in (0, 2):
            why, elapsed = within(PROPAGATION, lambda: (
                "still accepted" if self.refusal(clients[g], bucket) is None else None))
            self.assertIsNone(why, "a key revoked on gateway 1 is still accepted by gateway %d "
                              "%.1f s later" % (g, elapsed))
        self.assertEqual(self.refusal(clients[1], bucket), "InvalidAccessKeyId")


class ListingTests(ClusterTestCase):
    def test_keys_written_through_one_gateway_are_listed_by_the_others_at_once(self):
        bucket = self.new_bucket("list")
        written = []
        for i in range(20):
            key = "listed/%02d" % i
            self.a.put_object(Bucket=bucket, Key=key, Body=b"x" * i)
            written.append(key)
            for g in (1, 2):
                self.assertEqual(listed_keys(self.gateways[g], bucket, "listed/"), written,
                                 "gateway %d right after the PUT of %r on gateway 0" % (g, key))
        gone = written[::2]
        self.a.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in gone]})
        left = [k for k in written if k not in gone]
        for g in (1, 2):
            self.assertEqual(listed_keys(self.gateways[g], bucket), left,
                             "gateway %d right after DeleteObjects on gateway 0" % g)


class CrossGatewayFreshnessTests(ClusterTestCase):
    """A read on one gateway right after a write on another sees the write, even when the reader
    had read (and perhaps cached) the key just before."""

    def warm(self, bucket, key, expected):
        for _ in range(2):
            self.assertEqual(read_md5(self.b, bucket, key), expected)
            self.assertEqual(self.c.head_object(Bucket=bucket, Key=key)["ETag"].strip('"'),
                             expected)

    def test_an_overwrite_on_one_gateway_is_read_on_another_right_after(self):
        bucket = self.new_bucket("fresh")
        for size in (100, 200 * KiB):  # kept in the metadata, then a blob
            key = "overwritten-%d" % size
            old, new = os.urandom(size), os.urandom(size)
            self.a.put_object(Bucket=bucket, Key=key, Body=old)
            self.warm(bucket, key, md5(old))
            self.a.put_object(Bucket=bucket, Key=key, Body=new)
            self.assertEqual(read_md5(self.b, bucket, key), md5(new),
                             "GET on gateway 1 after the overwrite on gateway 0 (%d bytes)" % size)
            self.assertEqual(self.c.head_object(Bucket=bucket, Key=key)["ETag"].strip('"'),
                             md5(new), "HEAD on gateway 2 (%d bytes)" % size)

    def test_a_delete_on_one_gateway_is_seen_on_another_right_after(self):
        bucket = self.new_bucket("fresh")
        body = os.urandom(100)
        self.a.put_object(Bucket=bucket, Key="deleted", Body=body)
        self.warm(bucket, "deleted", md5(body))
        self.a.delete_object(Bucket=bucket, Key="deleted")
        self.assertIsNone(read_md5(self.b, bucket, "deleted"), "GET on gateway 1 after the delete")


class SlowPut:
    """A signed PUT (or UploadPart) of `size` random bytes that sends its headers and the first
    `sent` bytes, then waits: a request in flight while a gateway dies or starts. finish() sends
    the rest and returns the answer's status."""

    def __init__(self, t, path, query, size, sent):
        self.body, self.sent = os.urandom(size), sent
        headers, _ = t.signer().sign("PUT", path, query, {
            "host": t.netloc, "Content-Length": str(size)}, s3sig.UNSIGNED_PAYLOAD)
        target = path + ("?" + s3sig.encode_query(query) if query else "")
        self.sock = socket.create_connection((t.host, t.port), timeout=30)
        self.sock.sendall(("PUT %s HTTP/1.1\r\n" % target + "".join(
            "%s: %s\r\n" % kv for kv in headers.items()) + "\r\n").encode())
        self.sock.sendall(self.body[:sent])

    def finish(self):
        """The answer's status, or what broke the connection instead."""
        answer = b""
        try:
            self.sock.sendall(self.body[self.sent:])
            while b"\r\n" not in answer:
                got = self.sock.recv(4096)
                if not got:
                    break
                answer += got
        except OSError as e:
            return repr(e)
        finally:
            self.close()
        return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else answer

    def close(self):
        self.sock.close()


class Writer(threading.Thread):
    """Writes new keys through one gateway until told to stop, one op at a time: PUTs of 64 KiB to
    `largest` bytes (each a blob) and, every `multipart_every`th op, a two-part multipart upload.
    Records what was acknowledged and what failed (a gateway other than the killed one must answer
    everything)."""

    def __init__(self, s3, bucket, prefix, seed, stop, largest=3 * MiB, multipart_every=5):
        super().__init__(daemon=True)
        self.s3, self.bucket, self.prefix, self.stop = s3, bucket, prefix, stop
        self.largest, self.multipart_every = largest, multipart_every
        self.rng = random.Random(seed)
        self.acked = {}  # key -> md5
        self.failed = {}  # key -> (md5 of the body it tried to write, the error)

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            key = "%s/%04d" % (self.prefix, n)
            if self.multipart_every and n % self.multipart_every == 0:
                bodies = [self.rng.randbytes(PART), self.rng.randbytes(self.rng.randint(1, MiB))]
            else:
                bodies = [self.rng.randbytes(self.rng.randint(64 * KiB + 1, self.largest))]
            try:
                if len(bodies) > 1:
                    self.multipart(key, bodies)
                else:
                    self.s3.put_object(Bucket=self.bucket, Key=key, Body=bodies[0])
                self.acked[key] = md5(b"".join(bodies))
            except Exception as e:  # noqa: BLE001 - the test reports every one
                self.failed[key] = (md5(b"".join(bodies)), repr(e))

    def multipart(self, key, bodies):
        upload_id = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        try:
            parts = [{"PartNumber": n + 1, "ETag": self.s3.upload_part(
                Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=n + 1,
                Body=body)["ETag"]} for n, body in enumerate(bodies)]
            self.s3.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                              MultipartUpload={"Parts": parts})
        except Exception:
            self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise


class GatewayKilledTests(ClusterTestCase):
    """SIGKILL one gateway while a single PUT and an UploadPart stream into it and the other two
    serve writers; restart it on its data dir while they still write."""

    RESTARTS = 5

    @classmethod
    def setUpClass(cls):  # a cluster of its own: nothing else writes into its blob store
        cls.cluster = cairn_cluster.Cluster(3, name="scale-out-kill")
        cls.addClassCleanup(cls.cluster.cleanup)
        cls.cluster.start()

    def test_a_gateway_killed_mid_upload_loses_nothing_acknowledged(self):
        victim = self.cluster.gateways[0]
        bucket = self.new_bucket("kill")
        acked = {}
        old = os.urandom(200 * KiB)
        self.a.put_object(Bucket=bucket, Key="overwritten", Body=old)
        acked["overwritten"] = md5(old)
        key = "multipart"
        upload_id = self.a.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        first = os.urandom(PART)
        etag1 = self.a.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=1,
                                   Body=first)["ETag"]

        stop = threading.Event()
        writers = [Writer(s3, bucket, "w%d-%d" % (g, i), 1000 * g + i, stop)
                   for g, s3 in ((1, self.b), (2, self.c)) for i in range(2)]
        for w in writers:
            w.start()
        deadline = time.monotonic() + 60
        while not all(w.acked for w in writers) and time.monotonic() < deadline:
            time.sleep(0.05)  # every writer has written before the kill
        # Slow clients of the other gateways: their bodies are half written (to temporaries of
        # the shared blob store) when the victim dies and when it starts again.
        other = self.c.create_multipart_upload(Bucket=bucket, Key="other-multipart")["UploadId"]
        slow = {"slow-put": SlowPut(self.cluster.gateways[1].target(), "/%s/slow-put" % bucket,
                                    (), 4 * MiB, 2 * MiB),
                "other-multipart": SlowPut(self.cluster.gateways[2].target(),
                                           "/%s/other-multipart" % bucket,
                                           [("partNumber", "1"), ("uploadId", other)], PART,
                                           MiB)}
        time.sleep(0.5)
        t = victim.target()
        in_flight = [SlowPut(t, "/%s/overwritten" % bucket, (), 32 * MiB, 8 * MiB),
                     SlowPut(t, "/%s/%s" % (bucket, key),
                             [("partNumber", "2"), ("uploadId", upload_id)], 8 * MiB, 3 * MiB)]
        time.sleep(0.5)  # the gateway writes what it got
        victim.kill()
        for r in in_flight:
            r.close()
        time.sleep(1.0)  # the others go on without it
        victim.start(port=cairn_server.free_port())  # same data dir, while the writers write
        time.sleep(1.5)
        stop.set()
        answers = {name: r.finish() for name, r in slow.items()}
        for w in writers:
            w.join(120)
        self.assertFalse(any(w.is_alive() for w in writers), "a writer still busy after 120 s")
        attempted = {}  # key -> md5: writes that failed; if listed, they must be whole
        for name, status in answers.items():
            if status == 200:
                acked[name] = md5(slow[name].body)
            else:
                attempted[name] = md5(slow[name].body)
        for w in writers:
            acked.update(w.acked)
            attempted.update({k: digest for k, (digest, _) in w.failed.items()})
        with self.subTest("the gateways that were not killed answer everything, also requests in "
                          "flight while the victim died and started again"):
            self.assertEqual(["%s: %s" % (k, v) for k, v in answers.items() if v != 200] +
                             ["%s: %s" % (k, e) for w in writers for k, (_, e) in w.failed.items()],
                             [], self.cluster.logs())
        if "other-multipart" in acked:
            self.c.complete_multipart_upload(
                Bucket=bucket, Key="other-multipart", UploadId=other,
                MultipartUpload={"Parts": [{"PartNumber": 1,
                                            "ETag": '"%s"' % acked["other-multipart"]}]})
        else:
            self.c.abort_multipart_upload(Bucket=bucket, Key="other-multipart", UploadId=other)
            del attempted["other-multipart"]

        self.setUp()  # clients for the restarted gateway's new port
        for k, digest in sorted(acked.items()):
            with self.subTest("acknowledged", key=k):
                self.assertEverywhere(bucket, k, digest, "acknowledged")
        for g, s3 in enumerate(self.gateways):
            listed = set(listed_keys(s3, bucket))
            self.assertEqual(sorted(set(acked) - listed), [],
                             "gateway %d does not list these acknowledged objects" % g)
            self.assertEqual(sorted(listed - set(acked) - set(attempted)), [],
                             "gateway %d lists objects nobody wrote" % g)
            for k in sorted(listed & set(attempted)):  # a failed write that did happen: whole
                self.assertEqual(read_md5(s3, bucket, k), attempted[k], "gateway %d" % g)
            parts = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)["Parts"]
            self.assertEqual([(p["PartNumber"], p["ETag"]) for p in parts], [(1, etag1)],
                             "gateway %d: the upload holds its acknowledged part alone" % g)
            uploads = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
            self.assertEqual([u["UploadId"] for u in uploads], [upload_id], "gateway %d" % g)

        # The upload the victim was receiving goes on through the others.
        second = os.urandom(MiB)
        etag2 = self.b.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=2,
                                   Body=second)["ETag"]
        self.c.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag1},
                                       {"PartNumber": 2, "ETag": etag2}]})
        self.assertEverywhere(bucket, key, md5(first + second), "completed after the kill")


    def test_restarts_of_one_gateway_while_the_others_write_lose_nothing(self):
        """Each start sweeps the blob store for what a crash left (temporaries, blobs no record
        holds): blobs the other gateways are writing or have written but not yet recorded are
        neither."""
        victim = self.cluster.gateways[0]
        bucket = self.new_bucket("restarts")
        stop = threading.Event()
        writers = [Writer(s3, bucket, "r%d-%d" % (g, i), 2000 + 10 * g + i, stop,
                          largest=256 * KiB, multipart_every=0)
                   for g, s3 in ((1, self.b), (2, self.c)) for i in range(3)]
        for w in writers:
            w.start()
        for _ in range(self.RESTARTS):
            time.sleep(0.3)
            victim.kill()
            victim.start(port=cairn_server.free_port())
        time.sleep(0.3)
        stop.set()
        for w in writers:
            w.join(120)
        self.assertFalse(any(w.is_alive() for w in writers), "a writer still busy after 120 s")
        with self.subTest("the gateways that were not restarted answer everything"):
            self.assertEqual(["%s: %s" % (k, e) for w in writers for k, (_, e) in w.failed.items()],
                             [], self.cluster.logs())
        self.setUp()
        acked = {k: digest for w in writers for k, digest in w.acked.items()}
        lost = {g: [k for k in sorted(acked) if read_md5(s3, bucket, k) != acked[k]]
                for g, s3 in enumerate(self.gateways)}
        self.assertEqual(lost, {0: [], 1: [], 2: []},
                         "acknowledged objects that do not read back (of %d)" % len(acked))


if __name__ == "__main__":
    cairn_server.main()
