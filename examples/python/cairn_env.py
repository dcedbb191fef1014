"""Shared by the examples in this folder: a boto3 S3 client for the server named in the
environment, and the command line. Everything else is in each example, as in the guide.

  CAIRN_ENDPOINT           http://127.0.0.1:9000 (R2: https://<ACCOUNT_ID>.r2.cloudflarestorage.com)
  CAIRN_ACCESS_KEY_ID      the access key
  CAIRN_SECRET_ACCESS_KEY  its secret
"""
import atexit
import os
import shutil
import sys
import tempfile

import boto3

NAMES = ("CAIRN_ENDPOINT", "CAIRN_ACCESS_KEY_ID", "CAIRN_SECRET_ACCESS_KEY")


def s3_client(**config):
    for name in NAMES:
        if not os.environ.get(name):
            sys.exit("error: set %s (%s are needed)" % (name, ", ".join(NAMES)))
    return boto3.client(
        service_name="s3",
        endpoint_url=os.environ["CAIRN_ENDPOINT"],
        aws_access_key_id=os.environ["CAIRN_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["CAIRN_SECRET_ACCESS_KEY"],
        region_name="auto",
        **config,
    )


def args(usage, default_key):
    """argv: BUCKET [KEY] [FILE] -> (bucket, key, file or None)."""
    argv = sys.argv[1:]
    if not 1 <= len(argv) <= 3:
        sys.exit("usage: python3 " + usage)
    bucket = argv[0]
    key = argv[1] if len(argv) > 1 else default_key
    path = argv[2] if len(argv) > 2 else None
    return bucket, key, path


def sample_file(name, size):
    """A file of `size` random bytes in a temporary folder (removed at exit), to run an example
    without a file."""
    folder = tempfile.mkdtemp(prefix="cairn-example-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    return path
