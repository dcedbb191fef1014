"""What a client is told when a storage engine fails (issue 14, "Storage status"): engines report
their own failures (no space, busy, unavailable, I/O error) and one mapping turns each into an S3
answer: no space -> 507 InsufficientStorage, busy or unavailable -> 503 SlowDown with Retry-After,
an I/O error -> 500 InternalError. The engine's detail (errno text, SQLite's message, paths) never
reaches the client, in XML error documents, DeleteObjects results and public buckets' HTML pages
alike; the server log has it under the request id the client was given.

The failures are injected through the test hook (POST /_cairn/test/fault), and a real one is
provoked: another process holding the SQLite write lock past the busy timeout."""
import hashlib
import os
import re
import sqlite3
import unittest

import cairn_server
import s3sig
from admin_api import AdminApi
from cairn_server import raw_request

BLOB_SIZE = 200 << 10  # above the inline limit: the object's bytes are in a blob

# Engine words that must never be in a response: errno texts, SQLite's words, the fault hook's
# markers, and the names of the storage failures themselves.
LEAKS = re.compile(r"injected|No space left|Input/output|storage is (busy|off)|cannot be reached|"
                   r"sqlite|database is locked|blob [0-9a-f]|meta\.(commit|read)|"
                   r"Storage(NotFound|AlreadyExists|Conflict|Busy|NoSpace|IOError|Corruption|"
                   r"Unavailable)", re.IGNORECASE)

MESSAGES = {"InsufficientStorage": "There is not enough free space on the server to store the "
                                   "object.",
            "SlowDown": "Please reduce your request rate.",
            "InternalError": "We encountered an internal error. Please try again."}


def tearDownModule():
    cairn_server.shutdown()


@unittest.skipIf(cairn_server.external(), "arms faults in a cairn it starts itself")
class StorageStatusTests(cairn_server.CairnTestCase):
    @classmethod
    def setUpClass(cls):
        # Nothing but the test may consume an armed fault: no background sweeps, no object cache.
        cls.server = cairn_server.CairnServer(
            name="storage-status", extra_args=[cairn_server.TEST_HOOKS,
                                               "--lifecycle-interval-seconds", "86400",
                                               "--object-cache-mib", "0"])
        cls.server.start()
        cls.t = cls.server.target()
        cls.s3 = cairn_server.client(cls.t)

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.bucket = self.new_bucket("status")
        self.addCleanup(self.disarm)

    def arm(self, target, error, count=1):
        r = cairn_server.arm_fault(target, error, count, t=self.t)
        self.assertEqual(r.status, 200, "the hook refused %s=%s: %r" % (target, error, r))

    def disarm(self):
        self.assertEqual(cairn_server.disarm_faults(t=self.t).status, 200)

    def object_request(self, method, key, body=b"", sign=True):
        return raw_request(method, "/%s/%s" % (self.bucket, key), body=body, t=self.t, sign=sign)

    def put(self, key, size):
        return self.object_request("PUT", key, os.urandom(size))

    def get(self, key, method="GET"):
        return self.object_request(method, key)

    def assertNoDetail(self, resp):
        body = resp.body.decode("utf-8", "replace")
        self.assertIsNone(LEAKS.search(body), "the engine's detail reached the client: %r" % resp)
        self.assertNotIn(self.server.data_dir, body, resp)
        self.assertNotIn(self.server.workdir, body, resp)

    def assertAnswer(self, resp, status, code, head=False):
        """An S3 error `code` with the table's message, Retry-After exactly when it is SlowDown,
        and nothing of the engine's words; returns the request id."""
        self.assertS3Error(resp, status, code, head=head)
        if not head:
            self.assertEqual(cairn_server.xml_text(resp.xml(), "Message"), MESSAGES[code], resp)
        if code == "SlowDown":
            self.assertEqual(resp.header("Retry-After"), "1", resp.headers)
        else:
            self.assertIsNone(resp.header("Retry-After"), resp.headers)
        self.assertNoDetail(resp)
        return resp.header("x-amz-request-id")

    def assertLogged(self, request_id, *details):
        hits, tail = cairn_server.logged_lines(self.server, request_id, *details)
        self.assertTrue(hits, "no log line with %s and %r in:\n%s" % (request_id, details, tail))

    def test_no_space_is_507_insufficient_storage(self):
        for target, size in (("blob.write", BLOB_SIZE), ("blob.sync", BLOB_SIZE),
                             ("meta.commit", 100)):
            with self.subTest(target=target):
                self.arm(target, "ENOSPC")
                request_id = self.assertAnswer(self.put("k", size), 507, "InsufficientStorage")
                self.assertLogged(request_id, "InsufficientStorage (StorageNoSpace)",
                                  "No space left on device (injected ENOSPC)")
                self.assertEqual(self.put("k", size).status, 200, "the next request succeeds")

    def test_busy_or_unavailable_metadata_is_503_slow_down_with_retry_after(self):
        self.assertEqual(self.put("k", 100).status, 200)
        for error, storage, words in (("BUSY", "StorageBusy", "the storage is busy"),
                                      ("UNAVAILABLE", "StorageUnavailable",
                                       "the storage cannot be reached")):
            with self.subTest(error=error, call="PUT"):
                self.arm("meta.commit", error)
                request_id = self.assertAnswer(self.put("k", 100), 503, "SlowDown")
                self.assertLogged(request_id, "SlowDown (%s)" % storage,
                                  "%s (injected %s)" % (words, error))
            with self.subTest(error=error, call="GET"):
                self.arm("meta.read", error)
                request_id = self.assertAnswer(self.get("k"), 503, "SlowDown")
                self.assertLogged(request_id, "SlowDown (%s)" % storage)
            with self.subTest(error=error, call="HEAD"):
                self.arm("meta.read", error)
                self.assertAnswer(self.get("k", "HEAD"), 503, "SlowDown", head=True)
        self.assertEqual(self.get("k").status, 200, "the next request succeeds")

    def test_io_errors_are_500_internal_error(self):
        self.assertEqual(self.put("big", BLOB_SIZE).status, 200)
        for target, request in (("blob.read", lambda: self.get("big")),
                                ("blob.write", lambda: self.put("new", BLOB_SIZE)),
                                ("meta.read", lambda: self.get("big")),
                                ("meta.commit", lambda: self.put("new", 100))):
            with self.subTest(target=target):
                self.arm(target, "EIO")
                request_id = self.assertAnswer(request(), 500, "InternalError")
                self.assertLogged(request_id, "InternalError (StorageIOError)",
                                  "Input/output error (injected EIO)")
        self.assertEqual(self.get("big").status, 200)

    def test_a_power_cut_is_503_slow_down_until_the_storage_is_back(self):
        self.assertEqual(self.put("k", 100).status, 200)
        self.arm("meta.commit", "CRASH")
        request_id = self.assertAnswer(self.put("k", 100), 503, "SlowDown")
        self.assertLogged(request_id, "SlowDown (StorageUnavailable)", "(injected CRASH)")
        self.assertAnswer(self.get("k"), 503, "SlowDown")  # reads too: the engine is off
        self.disarm()
        self.assertEqual(self.get("k").status, 200)

    def test_a_commit_of_unknown_outcome_is_500_and_logged_as_such(self):
        # EIO_AFTER: the metadata commit happens, then fails with its outcome unknown, as a COMMIT
        # whose fsync failed. The client cannot be told it worked; the log says it may have.
        body = b"small body, stored inline"
        self.arm("meta.commit", "EIO_AFTER")
        resp = self.object_request("PUT", "maybe", body)
        request_id = self.assertAnswer(resp, 500, "InternalError")
        self.assertLogged(request_id, "InternalError (StorageIOError, outcome unknown)",
                          "(injected EIO_AFTER)")
        got = self.get("maybe")
        self.assertEqual((got.status, got.body), (200, body), "the commit did take effect")

    def test_a_blob_backed_put_of_unknown_outcome_keeps_its_blob(self):
        # The record may exist, so the new blob must stay (an orphan for the start-up sweep at
        # worst): deleting it would leave the committed record pointing at nothing.
        body = os.urandom(200_000)
        self.arm("meta.commit", "EIO_AFTER")
        resp = self.object_request("PUT", "maybe-big", body)
        self.assertAnswer(resp, 500, "InternalError")
        got = self.get("maybe-big")
        self.assertEqual(got.status, 200, got)
        self.assertEqual(hashlib.md5(got.body).hexdigest(), hashlib.md5(body).hexdigest())

    def test_a_part_of_unknown_outcome_keeps_its_blob(self):
        s3 = cairn_server.client(self.t)
        up = s3.create_multipart_upload(Bucket=self.bucket, Key="mp")
        part = os.urandom(5 << 20)
        self.arm("meta.commit", "EIO_AFTER")
        with self.assertRaises(Exception):
            s3.upload_part(Bucket=self.bucket, Key="mp", UploadId=up["UploadId"], PartNumber=1,
                           Body=part)
        self.disarm()
        listed = s3.list_parts(Bucket=self.bucket, Key="mp", UploadId=up["UploadId"])["Parts"]
        self.assertEqual([p["PartNumber"] for p in listed], [1], "the part was committed")
        s3.complete_multipart_upload(
            Bucket=self.bucket, Key="mp", UploadId=up["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": listed[0]["ETag"]}]})
        got = s3.get_object(Bucket=self.bucket, Key="mp")["Body"].read()
        self.assertEqual(hashlib.md5(got).hexdigest(), hashlib.md5(part).hexdigest())

    def test_delete_objects_reports_a_storage_failure_per_key_without_detail(self):
        for key in ("a", "b"):
            self.assertEqual(self.put(key, 10).status, 200)
        self.arm("meta.commit", "BUSY")
        body = ("<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>")
        resp = raw_request("POST", "/%s" % self.bucket, [("delete", "")], body=body, t=self.t,
                           headers={"Content-MD5": s3sig.content_md5(body.encode())})
        self.assertEqual(resp.status, 200, resp)
        self.assertNoDetail(resp)
        errors = cairn_server.xml_all(resp.xml(), "Error")
        self.assertEqual([(cairn_server.xml_text(e, "Key"), cairn_server.xml_text(e, "Code"),
                           cairn_server.xml_text(e, "Message")) for e in errors],
                         [("a", "SlowDown", MESSAGES["SlowDown"])])
        self.assertLogged(resp.header("x-amz-request-id"), "SlowDown (StorageBusy)",
                          "(injected BUSY)")
        self.assertEqual(self.get("a").status, 200, "the failed delete left the object")
        self.assertEqual(self.get("b").status, 404)

    def test_a_public_buckets_error_page_hides_the_detail(self):
        AdminApi(self.t).set_public(self.bucket, True)
        self.assertEqual(self.put("page", BLOB_SIZE).status, 200)
        for error, status in (("UNAVAILABLE", 503), ("EIO", 500)):
            with self.subTest(error=error):
                self.arm("blob.read", error)
                resp = self.object_request("GET", "page", sign=False)
                self.assertEqual(resp.status, status, resp)
                self.assertTrue(resp.header("Content-Type", "").startswith("text/html"), resp)
                self.assertEqual(resp.header("Retry-After"), "1" if status == 503 else None)
                self.assertNoDetail(resp)
                self.assertLogged(resp.header("x-amz-request-id"), "(injected %s)" % error)

    def test_a_locked_metadata_database_is_503_slow_down(self):
        # A real SQLITE_BUSY: another process holds the write lock past the busy timeout (5 s).
        db = sqlite3.connect(os.path.join(self.server.data_dir, "meta.sqlite3"),
                             isolation_level=None, timeout=10)
        try:
            db.execute("BEGIN EXCLUSIVE")
            resp = self.put("locked", 100)
        finally:
            db.execute("ROLLBACK")
            db.close()
        request_id = self.assertAnswer(resp, 503, "SlowDown")
        self.assertLogged(request_id, "SlowDown (StorageBusy)", "database is locked")
        self.assertEqual(self.put("locked", 100).status, 200, "the retry succeeds")


if __name__ == "__main__":
    cairn_server.main()
