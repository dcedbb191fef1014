"""Starts the real cairn binary for the integration suites, and the helpers the suites share.

A suite gets its server from `target()`: by default a cairn started on a free loopback port with a
fresh temporary data dir (killed at the end of the module, and at exit in any case); with
`--endpoint URL` (or CAIRN_TEST_ENDPOINT) an already running S3 server instead, whose keys come
from CAIRN_ACCESS_KEY_ID / CAIRN_SECRET_ACCESS_KEY.

Environment: CAIRN_BINARY (default <repo>/build/cairn), CAIRN_TEST_ENDPOINT, CAIRN_TEST_REGION
(default auto), CAIRN_TEST_KEEP=1 keeps the data dirs and server logs.
Every wait here is bounded: start-up, HTTP calls and subprocesses all carry timeouts.
"""
import argparse
import atexit
import concurrent.futures
import contextlib
import email.utils
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import s3sig

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
HTTP_TIMEOUT = 30
START_TIMEOUT = float(os.environ.get("CAIRN_TEST_START_TIMEOUT", "30"))

_live_servers = []


def _isolate_from_aws_config():
    """The clients get explicit endpoints and keys; nothing from the machine's AWS environment or
    config files (profiles, checksum settings, CA bundles, real credentials) may change what they
    send. rclone refuses to start when AWS_CA_BUNDLE names a bundle it cannot load."""
    for k in list(os.environ):
        if k.startswith("AWS_"):
            del os.environ[k]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


_isolate_from_aws_config()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary_path():
    return os.environ.get("CAIRN_BINARY") or os.path.join(REPO, "build", "cairn")


class ServerStartError(RuntimeError):
    pass


class CairnServer:
    """One cairn process. Usable as a context manager; restartable on the same data dir."""

    def __init__(self, binary=None, data_dir=None, access_key=None, secret_key=None,
                 extra_args=(), scheme="http", name="cairn", env_credentials=True, env=None):
        self.binary = binary or binary_path()
        self.workdir = tempfile.mkdtemp(prefix="cairn-it-%s-" % name)
        _all_servers.append(self)
        self.data_dir = data_dir or os.path.join(self.workdir, "data")
        self.access_key = access_key or "CAIRNTEST" + secrets.token_hex(6).upper()
        self.secret_key = secret_key or secrets.token_urlsafe(30)
        self.extra_args = list(extra_args)
        # False: start as a new user does, without CAIRN_* keys, so that cairn makes its own.
        self.env_credentials = env_credentials
        self.env = dict(env or {})  # more environment for the process (e.g. CAIRN_MASTER_KEY)
        self.scheme = scheme
        self.port = None
        self.proc = None
        self.log_path = None
        self.starts = 0

    # -- life cycle --
    def start(self, timeout=START_TIMEOUT, port=None):
        if not os.path.exists(self.binary):
            raise ServerStartError("cairn binary not found at %s" % self.binary)
        self.port = port or self.port or free_port()
        self.starts += 1
        self.log_path = os.path.join(self.workdir, "cairn-%d.log" % self.starts)
        env = dict(os.environ, **self.env)
        if self.env_credentials:
            env["CAIRN_ACCESS_KEY_ID"] = self.access_key
            env["CAIRN_SECRET_ACCESS_KEY"] = self.secret_key
        else:
            env.pop("CAIRN_ACCESS_KEY_ID", None)
            env.pop("CAIRN_SECRET_ACCESS_KEY", None)
        cmd = [self.binary, "serve", "--listen", "127.0.0.1:%d" % self.port,
               "--data-dir", self.data_dir] + self.extra_args
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True)
        finally:
            log.close()
        _live_servers.append(self)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerStartError("cairn exited with %s during start-up:\n%s"
                                       % (self.proc.returncode, self.log_tail()))
            try:
                status = self.health(timeout=1)
                if status == 200:
                    return self
                last = "health answered %s" % status
            except Exception as e:  # not listening yet
                last = repr(e)
            time.sleep(0.05)
        self.kill()
        raise ServerStartError("cairn not healthy after %.0fs (%s):\n%s"
                               % (timeout, last, self.log_tail()))

    def health(self, timeout=2):
        if self.scheme == "https":
            import ssl
            ctx = ssl._create_unverified_context()
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=ctx)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", "/_cairn/health")
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=10):
        """SIGTERM, then SIGKILL after `timeout` seconds."""
        if self.proc is None:
            return
        if self.proc.poll() is not None and self in _live_servers:
            # It died on its own: say so, with the end of its log, for whoever reads the report.
            sys.stderr.write("\n*** cairn (pid %d) died during the suite with exit status %s; "
                             "log tail:\n%s\n" % (self.proc.pid, self.proc.returncode,
                                                  self.log_tail(3000)))
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._forget()

    def kill(self):
        """kill -9."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._forget()

    def _forget(self):
        if self in _live_servers:
            _live_servers.remove(self)

    def cleanup(self):
        self.stop()
        if os.environ.get("CAIRN_TEST_KEEP"):
            sys.stderr.write("cairn data and logs kept in %s\n" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def log_tail(self, n=4000):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
            return data[-n:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # -- what clients need --
    @property
    def endpoint(self):
        return "%s://127.0.0.1:%d" % (self.scheme, self.port)

    def target(self):
        return Target(self.endpoint, self.access_key, self.secret_key, server=self)


_all_servers = []


@atexit.register
def _kill_leftovers():
    """At exit: no cairn outlives its suite, and no temporary data dir is left behind."""
    for s in list(_live_servers):
        try:
            s.kill()
        except Exception:
            pass
    if not os.environ.get("CAIRN_TEST_KEEP"):
        for s in _all_servers:
            shutil.rmtree(s.workdir, ignore_errors=True)


class Target:
    """Where the suites send requests: endpoint, keys, region, and the server if we started it."""

    def __init__(self, endpoint, access_key, secret_key, region=None, server=None):
        self.endpoint = endpoint.rstrip("/")
        u = urllib.parse.urlsplit(self.endpoint)
        self.scheme = u.scheme
        self.host = u.hostname
        self.port = u.port or (443 if u.scheme == "https" else 80)
        self.netloc = u.netloc
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region or os.environ.get("CAIRN_TEST_REGION", "auto")
        self.server = server

    def signer(self, region=None):
        return s3sig.Signer(self.access_key, self.secret_key, region or self.region)


_shared = None


def target(extra_args=()):
    """The target of the current suite (started on first use). `extra_args` are serve flags the
    suite needs (e.g. --enable-test-hooks); a shared server started without one of them is
    replaced by one started with all of them."""
    global _shared
    wanted = list(extra_args)
    if _shared is not None:
        srv = _shared.server
        if srv is None or all(a in srv.extra_args for a in wanted):
            return _shared
        wanted = list(srv.extra_args) + [a for a in wanted if a not in srv.extra_args]
        shutdown()
    endpoint = os.environ.get("CAIRN_TEST_ENDPOINT")
    if endpoint:
        ak = os.environ.get("CAIRN_ACCESS_KEY_ID")
        sk = os.environ.get("CAIRN_SECRET_ACCESS_KEY")
        if not ak or not sk:
            raise RuntimeError("CAIRN_TEST_ENDPOINT needs CAIRN_ACCESS_KEY_ID and "
                               "CAIRN_SECRET_ACCESS_KEY")
        _shared = Target(endpoint, ak, sk)
    else:
        server = CairnServer(name=os.path.basename(sys.argv[0]).replace(".py", ""),
                             extra_args=wanted)
        server.start()
        _shared = server.target()
    return _shared


def shutdown():
    """Stops the suite's server (for tearDownModule)."""
    global _shared
    if _shared is not None and _shared.server is not None:
        _shared.server.cleanup()
    _shared = None


def external():
    return bool(os.environ.get("CAIRN_TEST_ENDPOINT"))


# --------------------------------------------------------------------------------------------
# Test hooks (serve --enable-test-hooks): the lifecycle clock and the sweeper

TEST_HOOKS = "--enable-test-hooks"


def hook_request(action, query=(), t=None, sign=True):
    """POST /_cairn/test/<action>, signed by the admin key (the hooks answer no one else)."""
    return raw_request("POST", "/_cairn/test/" + action, query, t=t, sign=sign)


def hooks_available(t=None):
    """True when the server answers the test hooks (a sweep changes nothing at the real time
    that the background sweeper would not change anyway)."""
    try:
        return hook_request("sweep", t=t).status == 200
    except OSError:
        return False


def advance_clock(seconds, t=None):
    """Moves the server's lifecycle clock forward by `seconds` (cumulative)."""
    r = hook_request("clock", [("advance-seconds", str(int(seconds)))], t=t)
    if r.status // 100 != 2:
        raise AssertionError("clock hook answered %r" % r)
    return r


def sweep(t=None):
    """Runs the lifecycle sweeper once; returns its JSON counts
    {"aborted_uploads": n, "expired_objects": n, "transitioned_objects": n}."""
    import json
    r = hook_request("sweep", t=t)
    if r.status != 200:
        raise AssertionError("sweep hook answered %r" % r)
    return json.loads(r.body)


DAY = 86400


def arm_fault(target, error, count=1, t=None):
    """POST /_cairn/test/fault: the next `count` calls of `target` (blob.write, blob.sync,
    blob.read, blob.delete, meta.commit, meta.read) fail with `error` (ENOSPC, EIO, SHORT_WRITE,
    CRASH, BUSY, UNAVAILABLE). The hook's Response."""
    return raw_request("POST", "/_cairn/test/fault",
                       [("target", target), ("error", error), ("count", str(count))], t=t)


def disarm_faults(t=None):
    """DELETE /_cairn/test/fault: nothing armed, a crash undone. The hook's Response."""
    return raw_request("DELETE", "/_cairn/test/fault", t=t)


# --------------------------------------------------------------------------------------------
# The data dir of a cairn we started


class DataUsage(tuple):
    """(blob files, their bytes, files in tmp/) under a data dir."""
    __slots__ = ()
    files = property(lambda self: self[0])
    bytes = property(lambda self: self[1])
    tmp_files = property(lambda self: self[2])


def data_usage(server):
    """Counts the committed blob files (DATA_DIR/blobs/**), their total size, and the files in
    DATA_DIR/tmp (see docs/storage-format.md)."""
    files = size = 0
    for root, _, names in os.walk(os.path.join(server.data_dir, "blobs")):
        for n in names:
            try:
                size += os.stat(os.path.join(root, n)).st_size
                files += 1
            except FileNotFoundError:  # unlinked while we walked
                pass
    tmp = 0
    tmpdir = os.path.join(server.data_dir, "tmp")
    if os.path.isdir(tmpdir):
        tmp = len(os.listdir(tmpdir))
    return DataUsage((files, size, tmp))


def wait_usage(server, predicate, timeout=10):
    """Polls data_usage until predicate(usage) holds (blob files are unlinked after the commit,
    possibly just after the response); returns the last usage either way."""
    deadline = time.monotonic() + timeout
    while True:
        u = data_usage(server)
        if predicate(u) or time.monotonic() > deadline:
            return u
        time.sleep(0.05)


def logged_lines(server, request_id, *details, timeout=5):
    """The lines of the server log that hold `request_id` and every one of `details`, polled
    until there is one (a request's detail is logged around its response) or `timeout` passes;
    with the log's last lines for the failure message."""
    deadline = time.monotonic() + timeout
    while True:
        with open(server.log_path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        hits = [line for line in lines if request_id in line and all(d in line for d in details)]
        if hits or time.monotonic() > deadline:
            return hits, "\n".join(lines[-20:])
        time.sleep(0.05)


# --------------------------------------------------------------------------------------------
# Clients


def boto3_version():
    import boto3
    return tuple(int(x) for x in boto3.__version__.split(".")[:2])


def new_defaults():
    """True for botocore >= 1.36 (default CRC32 request checksums)."""
    import botocore
    return tuple(int(x) for x in botocore.__version__.split(".")[:2]) >= (1, 36)


def client(t=None, access_key=None, secret_key=None, addressing_style="path", endpoint=None,
           region=None, read_timeout=60, verify=None, session_token=None, **config_kwargs):
    import boto3
    from botocore.config import Config
    t = t or target()
    cfg = dict(signature_version="s3v4", connect_timeout=5, read_timeout=read_timeout,
               retries={"total_max_attempts": 1}, s3={"addressing_style": addressing_style})
    cfg.update(config_kwargs)
    return boto3.client(
        "s3",
        endpoint_url=endpoint or t.endpoint,
        aws_access_key_id=access_key or t.access_key,
        aws_secret_access_key=secret_key or t.secret_key,
        aws_session_token=session_token,
        region_name=region or t.region,
        verify=verify,
        config=Config(**cfg),
    )


@contextlib.contextmanager
def extra_headers(s3, headers, operation="*"):
    """Adds raw headers to the requests `s3` makes inside the block (for parameters an older
    botocore does not model). A checksum header given here replaces botocore's own."""
    event = "before-call.s3" if operation == "*" else "before-call.s3.%s" % operation

    def add(params, **kwargs):
        for k, v in headers.items():
            params["headers"][k] = v
        if any(k.lower().startswith("x-amz-checksum-") for k in headers):
            ctx = params.get("context", {}).get("checksum", {})
            ctx.pop("request_algorithm", None)
            ctx.pop("request_algorithm_header", None)

    s3.meta.events.register(event, add, unique_id="cairn-extra-headers")
    try:
        yield s3
    finally:
        s3.meta.events.unregister(event, unique_id="cairn-extra-headers")


@contextlib.contextmanager
def capture_requests(s3):
    """Records (method, url, headers) of every request `s3` sends inside the block."""
    seen = []

    def grab(request, **kwargs):
        headers = {k: v.decode("latin-1") if isinstance(v, bytes) else v
                   for k, v in request.headers.items()}
        seen.append((request.method, request.url, headers))

    s3.meta.events.register("before-send.s3", grab, unique_id="cairn-capture")
    try:
        yield seen
    finally:
        s3.meta.events.unregister("before-send.s3", unique_id="cairn-capture")


# --------------------------------------------------------------------------------------------
# Raw HTTP


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # http.client.HTTPMessage (case-insensitive get)
        self.body = body

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def xml(self):
        return ET.fromstring(self.body)

    def error_code(self):
        try:
            return xml_text(self.xml(), "Code")
        except ET.ParseError:
            return None

    def __repr__(self):
        return "<HTTP %s %s %r>" % (self.status, self.reason, self.body[:300])


def xml_text(root, tag):
    """Text of the first element named `tag` (namespace ignored)."""
    for el in root.iter():
        if el.tag.split("}")[-1] == tag:
            return el.text
    return None


def xml_all(root, tag):
    return [el for el in root.iter() if el.tag.split("}")[-1] == tag]


def connection(t=None, timeout=HTTP_TIMEOUT):
    t = t or target()
    if t.scheme == "https":
        import ssl
        return http.client.HTTPSConnection(t.host, t.port, timeout=timeout,
                                           context=ssl._create_unverified_context())
    return http.client.HTTPConnection(t.host, t.port, timeout=timeout)


def raw_request(method, path, query=(), headers=None, body=b"", t=None, sign=True,
                payload_hash=None, signer=None, amz_date=None, timeout=HTTP_TIMEOUT, host=None,
                conn=None):
    """One request with an exact path (already encoded) and query [(k, v)]. Signed by default
    with the target's keys; payload_hash defaults to the body's SHA-256."""
    t = t or target()
    path = s3sig.canonical_path(path)
    headers = dict(headers or {})
    headers.setdefault("host", host or t.netloc)
    if isinstance(body, str):
        body = body.encode("utf-8")
    if sign:
        if payload_hash is None:
            payload_hash = s3sig.hashlib.sha256(body or b"").hexdigest()
        signer = signer or t.signer()
        headers, _ = signer.sign(method, path, query, headers, payload_hash, amz_date=amz_date)
    url = path
    q = s3sig.encode_query(query)
    if q:
        url += "?" + q
    own = conn is None
    conn = conn or connection(t, timeout)
    try:
        conn.putrequest(method, url, skip_host=True, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        if body or method in ("PUT", "POST"):
            if not any(k.lower() in ("content-length", "transfer-encoding") for k in headers):
                conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body if body else None)
        resp = conn.getresponse()
        data = resp.read()
        return Response(resp.status, resp.reason, resp.headers, data)
    finally:
        if own:
            conn.close()


def anonymous(method, path, body=None, t=None, headers=None, timeout=HTTP_TIMEOUT):
    """A plain urllib request with no credentials at all."""
    t = t or target()
    req = urllib.request.Request(t.endpoint + path, data=body, method=method,
                                 headers=headers or {})
    return urlopen(req, timeout=timeout)


def urlopen(req, timeout=HTTP_TIMEOUT):
    """urllib that returns a Response for every status instead of raising."""
    if isinstance(req, str):
        req = urllib.request.Request(req)
    ctx = None
    if req.full_url.startswith("https:"):
        import ssl
        ctx = ssl._create_unverified_context()
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=ctx) as r:
            return Response(r.status, r.reason, r.headers, r.read())
    except urllib.error.HTTPError as e:
        body = e.read()
        return Response(e.code, e.reason, e.headers, body)


def http_date(ts):
    return email.utils.formatdate(ts, usegmt=True)


# --------------------------------------------------------------------------------------------
# unittest glue


class CairnTestCase(unittest.TestCase):
    """Base class: self.t (Target), self.s3 (boto3 client), bucket helpers, error assertions."""

    maxDiff = 4000
    server_args = ()  # serve flags the class needs from the shared server
    cleanup_uploads = False  # empty_and_delete also aborts incomplete multipart uploads

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t = target(cls.server_args)
        cls.s3 = client(cls.t)

    def new_bucket(self, prefix="it", cleanup=True):
        name = "%s-%s" % (prefix, secrets.token_hex(6))
        self.s3.create_bucket(Bucket=name)
        if cleanup:
            self.addCleanup(self.empty_and_delete, name)
        return name

    @classmethod
    def abort_all_uploads(cls, bucket):
        """Aborts every incomplete multipart upload of the bucket (all pages)."""
        kwargs = {}
        for _ in range(1000):
            page = cls.s3.list_multipart_uploads(Bucket=bucket, **kwargs)
            for u in page.get("Uploads", []):
                try:
                    cls.s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"],
                                                  UploadId=u["UploadId"])
                except Exception as e:  # already gone (e.g. swept)
                    sys.stderr.write("abort of %s failed: %r\n" % (u["Key"], e))
            if not page.get("IsTruncated"):
                break
            kwargs = {"KeyMarker": page.get("NextKeyMarker", ""),
                      "UploadIdMarker": page.get("NextUploadIdMarker", "")}

    @classmethod
    def empty_and_delete(cls, bucket):
        try:
            if cls.cleanup_uploads:
                cls.abort_all_uploads(bucket)
            kwargs = {}
            while True:
                page = cls.s3.list_objects_v2(Bucket=bucket, **kwargs)
                for o in page.get("Contents", []):
                    cls.s3.delete_object(Bucket=bucket, Key=o["Key"])
                if not page.get("IsTruncated"):
                    break
                kwargs = {"ContinuationToken": page["NextContinuationToken"]}
            cls.s3.delete_bucket(Bucket=bucket)
        except Exception as e:  # cleanup must not hide the test's own result
            sys.stderr.write("cleanup of bucket %s failed: %r\n" % (bucket, e))

    @classmethod
    def filled_bucket(cls, prefix, keys):
        """A new bucket holding `keys`, each object's body its key, written 8 at a time: its name
        and {key: ETag without quotes}. drop_filled_bucket removes it."""
        name = "%s-%s" % (prefix, secrets.token_hex(4))
        cls.s3.create_bucket(Bucket=name)

        def put(key):
            return cls.s3.put_object(Bucket=name, Key=key, Body=key.encode())["ETag"].strip('"')

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            etags = list(pool.map(put, keys))
        return name, dict(zip(keys, etags))

    @classmethod
    def drop_filled_bucket(cls, bucket, keys):
        """Deletes `keys` (DeleteObjects, 1,000 a request) and then the bucket."""
        keys = list(keys)
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start:start + 1000]]
            cls.s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        cls.s3.delete_bucket(Bucket=bucket)

    def assertClientError(self, ctx_exception, code=None, status=None):
        err = ctx_exception.response.get("Error", {})
        meta = ctx_exception.response.get("ResponseMetadata", {})
        if code is not None:
            if isinstance(code, (tuple, list)):
                self.assertIn(err.get("Code"), code, ctx_exception.response)
            else:
                self.assertEqual(err.get("Code"), code, ctx_exception.response)
        if status is not None:
            if isinstance(status, (tuple, list)):
                self.assertIn(meta.get("HTTPStatusCode"), status, ctx_exception.response)
            else:
                self.assertEqual(meta.get("HTTPStatusCode"), status, ctx_exception.response)
        return err

    def assertS3Error(self, resp, status, code=None, head=False):
        """A raw Response is an S3 error: status, x-amz-request-id, and an XML body with Code."""
        statuses = status if isinstance(status, (tuple, list)) else (status,)
        self.assertIn(resp.status, statuses, resp)
        self.assertTrue(resp.header("x-amz-request-id"), "no x-amz-request-id: %r" % resp)
        if head:
            return None
        self.assertTrue(resp.body, "error without a body: %r" % resp)
        root = resp.xml()
        self.assertEqual(root.tag.split("}")[-1], "Error", resp)
        got = xml_text(root, "Code")
        if code is not None:
            codes = code if isinstance(code, (tuple, list)) else (code,)
            self.assertIn(got, codes, resp)
        return got


def main(argv=None):
    """Lets a suite run alone: python3 test_x.py [--binary B] [--endpoint URL] [unittest args]."""
    argv = list(sys.argv if argv is None else argv)
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--binary")
    p.add_argument("--endpoint")
    opts, rest = p.parse_known_args(argv[1:])
    if opts.binary:
        os.environ["CAIRN_BINARY"] = os.path.abspath(opts.binary)
    if opts.endpoint:
        os.environ["CAIRN_TEST_ENDPOINT"] = opts.endpoint
    unittest.main(module="__main__", argv=[argv[0]] + rest, verbosity=2)
