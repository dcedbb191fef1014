"""Several cairn gateways over one metadata store and one blob store, as a load balancer would put
them in front of clients: `cairn serve --meta postgres://... --blob URL --data-dir <its own>`,
all with the same admin key (CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY) and the same
CAIRN_MASTER_KEY, so that an access key sealed by one opens on the others.

The metadata store is a fresh database on this process's PostgreSQL (pg_service.py). The blob
store is `blob_url()`: CAIRN_TEST_BLOB_URL when set (any URL), else a pool of its own on this
process's Ceph cluster (ceph_service.py), or with CAIRN_TEST_BLOB=file a file:// directory the
gateways share. Gateways are cairn_server.CairnServer processes:
restartable on their data dir, killed at exit in any case.
"""
import atexit
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import cairn_server
import ceph_service
import pg_service


def blob_url(workdir):
    """The blob store a cluster's gateways share (see the module's comment)."""
    if os.environ.get("CAIRN_TEST_BLOB_URL"):
        return os.environ["CAIRN_TEST_BLOB_URL"]
    if os.environ.get("CAIRN_TEST_BLOB") == "file":
        return "file://" + os.path.join(workdir, "blobs")
    ceph = ceph_service.shared()
    return ceph.url(ceph.new_pool())


def blobs_of(url):
    """The listing of a blob URL; AssertionError for an engine these checks cannot look into (a
    harness check that needs it must fail, not pass unlooked)."""
    if url.startswith("file://"):
        return FileBlobs(urllib.parse.unquote(url[len("file://"):]))
    if url.startswith("rados://"):
        parsed = urllib.parse.urlsplit(url)
        conf = urllib.parse.parse_qs(parsed.query).get("conf", [None])[0]
        return RadosBlobs(conf, parsed.netloc)
    raise AssertionError("cannot list the blobs of %r: only file:// and rados:// blob stores can "
                         "be looked into here (tests/integration/py/cairn_cluster.py)" % url)


class FileBlobs:
    """What a file:// blob store (blob/fs) holds on disk: DIR/blobs/ab/cd/<id> committed,
    DIR/tmp/ being written. Also the layout of a data dir without --blob."""

    def __init__(self, root):
        self.root = root

    def ids(self):
        found = set()
        for _, _, names in os.walk(os.path.join(self.root, "blobs")):
            found.update(names)
        return found

    def temporaries(self):
        tmp = os.path.join(self.root, "tmp")
        return sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []


class RadosBlobs:
    """What a rados:// blob store (blob/rados) holds: committed ids are the omap keys of its index
    objects `cairn.index.XX`; stripe `i` of blob `ID` is the object `ID.i`, and stripes of no
    committed blob are what unfinished writes left."""

    def __init__(self, conf, pool):
        self.conf = conf
        self.pool = pool

    def _rados(self, *args):
        r = subprocess.run(["rados", "-c", self.conf, "-p", self.pool] + list(args),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("rados %s failed: %s"
                                 % (" ".join(args), r.stderr.decode(errors="replace")))
        return r.stdout.decode().split()

    def ids(self):
        committed = set()
        for name in self._rados("ls"):
            if name.startswith("cairn.index."):
                committed.update(self._rados("listomapkeys", name))
        return committed

    def stripes(self):
        return [name for name in self._rados("ls") if not name.startswith("cairn.index.")]

    def temporaries(self):
        committed = self.ids()
        return sorted(n for n in self.stripes() if n.split(".", 1)[0] not in committed)


class Cluster:
    """`size` gateways on one PostgreSQL database and one blob store; start(), cleanup()."""

    def __init__(self, size=3, name="cluster", meta_uri=None, extra_args=(), binary=None):
        self.workdir = tempfile.mkdtemp(prefix="cairn-it-%s-" % name)
        atexit.register(self._remove_workdir)
        self.meta_uri = meta_uri or pg_service.new_database()
        self.blob_url = blob_url(self.workdir)
        access_key = "CAIRNCLUSTER" + secrets.token_hex(4).upper()
        secret_key = secrets.token_urlsafe(30)
        master_key = secrets.token_hex(32)
        self.gateways = [
            cairn_server.CairnServer(
                binary=binary, name="%s-%d" % (name, i), access_key=access_key,
                secret_key=secret_key,
                env={"CAIRN_MASTER_KEY": master_key},
                extra_args=["--meta", self.meta_uri, "--blob", self.blob_url] + list(extra_args))
            for i in range(size)]

    def start(self):
        for g in self.gateways:  # one after the other: the first creates the schema
            g.start()
        return self

    def targets(self):
        return [g.target() for g in self.gateways]

    def clients(self, **kwargs):
        """A boto3 client per gateway, with the shared admin key."""
        return [cairn_server.client(t, **kwargs) for t in self.targets()]

    def logs(self, n=3000):
        """The end of every gateway's log, for a failure message."""
        return "\n".join("--- gateway %d (%s):\n%s" % (i, g.log_path, g.log_tail(n))
                         for i, g in enumerate(self.gateways))

    def cleanup(self):
        for g in self.gateways:
            g.cleanup()
        self._remove_workdir()

    def _remove_workdir(self):
        if self.workdir is None:
            return
        if os.environ.get("CAIRN_TEST_KEEP"):
            sys.stderr.write("cluster blobs kept in %s\n" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None


def check():
    """Why a cluster's services (PostgreSQL, and Ceph unless the blob store is given or file://)
    cannot be started here, or None when they can be tried."""
    reason = pg_service.check()
    if reason:
        return "PostgreSQL: " + reason
    if not os.environ.get("CAIRN_TEST_BLOB_URL") and os.environ.get("CAIRN_TEST_BLOB") != "file":
        reason = ceph_service.check()
        if reason:
            return "Ceph: " + reason
    return None


if __name__ == "__main__":
    if sys.argv[1:] != ["--check"]:
        sys.exit("usage: python3 cairn_cluster.py --check")
    why = check()
    if why:
        print(why)
    sys.exit(1 if why else 0)
