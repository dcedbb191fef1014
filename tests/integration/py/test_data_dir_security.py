"""The data directory is its owner's alone (issue 12, item 8): objects, metadata and the admin
credentials must not be readable by other users of the machine. Everything cairn creates there is
0700 (directories) or 0600 (files), and a data dir left by an older cairn (0755 and 0644) is
tightened at start: the directory itself and its known entries (the blob files inside need no
walk: nobody else can reach them through a 0700 directory)."""
import json
import os
import stat
import unittest

import cairn_server

MiB = 1024 * 1024


def tearDownModule():
    cairn_server.shutdown()


def modes_under(root):
    """{path: permission bits} of the root and everything under it."""
    found = {root: stat.S_IMODE(os.lstat(root).st_mode)}
    for parent, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(parent, name)
            found[path] = stat.S_IMODE(os.lstat(path).st_mode)
    return found


@unittest.skipIf(cairn_server.external(), "looks into the data dir of a cairn it starts itself")
class DataDirModeTests(unittest.TestCase):

    def fill(self, server, bucket):
        s3 = cairn_server.client(server.target())
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="small.txt", Body=b"inline")
        s3.put_object(Bucket=bucket, Key="big.bin", Body=os.urandom(300_000))
        upload = s3.create_multipart_upload(Bucket=bucket, Key="parts.bin")["UploadId"]
        s3.upload_part(Bucket=bucket, Key="parts.bin", UploadId=upload, PartNumber=1,
                       Body=os.urandom(5 * MiB))
        return s3

    def assertOwnerOnly(self, modes):
        loose = {p: oct(m) for p, m in modes.items() if m & 0o077}
        self.assertEqual(loose, {}, "readable or writable by group or others")

    def test_everything_created_is_owner_only(self):
        # No key in the environment: cairn generates one into admin-credentials.json.
        server = cairn_server.CairnServer(name="dir-modes")
        server.access_key = server.secret_key = ""
        self.addCleanup(server.cleanup)
        server.start()
        self.assertTrue(os.path.exists(os.path.join(server.data_dir, "admin-credentials.json")))
        with open(os.path.join(server.data_dir, "admin-credentials.json")) as f:
            key = json.load(f)
        server.access_key = key["access_key_id"]
        server.secret_key = key["secret_access_key"]
        self.fill(server, "modes")
        modes = modes_under(server.data_dir)
        for name in ("meta.sqlite3", "meta.sqlite3-wal", "meta.sqlite3-shm", "LOCK", "blobs",
                     "tmp"):
            self.assertIn(os.path.join(server.data_dir, name), modes)
        self.assertTrue(any("/blobs/" in p and os.path.isfile(p) for p in modes), modes)
        self.assertOwnerOnly(modes)

    def test_an_open_data_dir_is_tightened_at_start(self):
        server = cairn_server.CairnServer(name="dir-tighten")
        self.addCleanup(server.cleanup)
        server.start()
        self.fill(server, "tighten")
        server.stop()
        # What an older cairn left: directories 0755, files 0644.
        for path, mode in modes_under(server.data_dir).items():
            os.chmod(path, 0o755 if stat.S_ISDIR(os.lstat(path).st_mode) else 0o644)
        server.start()
        s3 = cairn_server.client(server.target())
        self.assertEqual(s3.get_object(Bucket="tighten", Key="small.txt")["Body"].read(),
                         b"inline")
        modes = modes_under(server.data_dir)
        self.assertEqual(oct(modes[server.data_dir]), oct(0o700))
        known = [os.path.join(server.data_dir, n) for n in
                 ("blobs", "tmp", "LOCK", "meta.sqlite3", "meta.sqlite3-wal", "meta.sqlite3-shm")]
        self.assertOwnerOnly({p: modes[p] for p in known if p in modes})
        # New entries are owner-only whatever the old ones were.
        s3.put_object(Bucket="tighten", Key="new.bin", Body=os.urandom(300_000))
        before = set(modes)
        self.assertOwnerOnly({p: m for p, m in modes_under(server.data_dir).items()
                              if p not in before})


if __name__ == "__main__":
    cairn_server.main()
