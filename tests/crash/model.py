"""What the workload wrote and what the server acknowledged: the expected state the verification
holds the restarted server to.

A value is what a key holds: its bytes (size and MD5), its ETag, the op named by its metadata
(x-amz-meta-op: metadata and bytes must come from the same write) and the blob files that hold the
bytes (tokens: one per body the server wrote to a blob file; copies and completed uploads share
their source's). ABSENT (None) is a key with no object.
"""
import dataclasses
import hashlib
import random
import threading
import time
from typing import Dict, FrozenSet, List, Optional

# docs/storage-format.md: a single PUT that declared at most 64 KiB is kept in the metadata store
# (no blob file); every other body, and every upload part, is one blob file.
INLINE_MAX = 64 * 1024

ABSENT = None


def body(seed, origin, size):
    """The deterministic bytes of the body written by op `origin`."""
    return random.Random("%s:%s" % (seed, origin)).randbytes(size)


@dataclasses.dataclass(frozen=True)
class Value:
    size: int
    md5: str
    etag: str
    meta: str  # x-amz-meta-op: the op whose request carried the object's metadata
    tokens: FrozenSet[str]
    origin: str  # the op that wrote these bytes (for messages)

    def describe(self):
        return "%s (%d bytes, etag %s, x-amz-meta-op %s)" % (self.origin, self.size, self.etag,
                                                             self.meta)


def describe(value):
    return "absent" if value is ABSENT else value.describe()


def put_value(seed, origin, size):
    """The value a PutObject of op `origin` with `size` bytes leaves."""
    digest = hashlib.md5(body(seed, origin, size)).hexdigest()
    tokens = frozenset([origin]) if size > INLINE_MAX else frozenset()
    return Value(size, digest, '"%s"' % digest, origin, tokens, origin)


@dataclasses.dataclass(frozen=True)
class Part:
    number: int
    size: int
    md5: str
    origin: str  # the UploadPart op, which is also its blob token

    @property
    def etag(self):
        return '"%s"' % self.md5


def completed_value(seed, origin, upload, parts):
    """The value a CompleteMultipartUpload of `parts` (in order) of `upload` leaves."""
    whole = hashlib.md5()
    for p in parts:
        whole.update(body(seed, p.origin, p.size))
    etag = hashlib.md5(b"".join(bytes.fromhex(p.md5) for p in parts)).hexdigest()
    return Value(sum(p.size for p in parts), whole.hexdigest(),
                 '"%s-%d"' % (etag, len(parts)), upload.created_by, frozenset(p.origin for p in parts),
                 origin)


@dataclasses.dataclass
class Upload:
    upload_id: str
    key: str
    created_by: str  # the CreateMultipartUpload op, named by the upload's metadata
    parts: Dict[int, Part] = dataclasses.field(default_factory=dict)

    def tokens(self):
        return frozenset(p.origin for p in self.parts.values())


@dataclasses.dataclass
class Pending:
    """The one op of a worker that has no answer yet (or had none when the server was killed)."""
    op: str
    kind: str
    # key -> the value the op leaves there if it took effect (owned keys; DeleteObjects has many)
    objects: Dict[str, Optional[Value]] = dataclasses.field(default_factory=dict)
    upload: Optional[Upload] = None  # the upload the op changes
    part: Optional[Part] = None  # UploadPart: the part it adds
    create_key: Optional[str] = None  # CreateMultipartUpload: the key of the new upload


class HotKeys:
    """Keys every worker writes (PutObject, DeleteObject, DeleteObjects) at the same time. The
    order of concurrent writes is the server's choice, so a key may end as any write that no
    acknowledged write started after the end of (linearizability), or as any write never answered.
    """

    @dataclasses.dataclass
    class Write:
        op: str
        value: Optional[Value]
        started: float
        acked: Optional[float] = None

    def __init__(self, keys):
        self.keys = list(keys)
        self.baseline = {k: ABSENT for k in self.keys}  # the state when this iteration began
        self.writes = {k: [] for k in self.keys}
        self.lock = threading.Lock()

    def begin(self, key, op, value):
        w = HotKeys.Write(op, value, time.monotonic())
        with self.lock:
            self.writes[key].append(w)
        return w

    @staticmethod
    def acknowledge(writes):
        now = time.monotonic()
        for w in writes:
            w.acked = now

    def candidates(self, key):
        """[(value, op or None for the baseline, acknowledged?)] the key may hold now."""
        writes = self.writes[key]
        acked = [w for w in writes if w.acked is not None]
        out = [] if acked else [(self.baseline[key], None, True)]
        for w in writes:
            if w.acked is None:
                out.append((w.value, w.op, False))
            elif not any(o.started > w.acked for o in acked):
                out.append((w.value, w.op, True))
        return out

    def settle(self, key, value):
        """The next iteration starts from what the key was found to hold."""
        self.baseline[key] = value
        self.writes[key] = []
