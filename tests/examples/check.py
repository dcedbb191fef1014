#!/usr/bin/env python3
"""Checks for tests/examples/run.sh: what an example stored, seen through boto3 (an independent
client), against what it should have stored.

  check.py mkbucket BUCKET...
  check.py object BUCKET KEY [--size N] [--same-as FILE] [--md5-etag | --multipart-etag PART_SIZE]
                  [--etag-from LOG] [--content-type V] [--cache-control V]
                  [--content-disposition V] [--meta NAME=VALUE]...
  check.py no-uploads BUCKET...      no multipart upload left in progress (completed or aborted)

--same-as compares the stored bytes with FILE. --md5-etag and --multipart-etag recompute the ETag
from the stored bytes (the MD5, or the MD5 of the parts' binary MD5s, "-" and the part count, as
the R2 guide describes). --etag-from takes the ETag an example printed (a JSON "etag" field or an
"ETag: VALUE" line, the last one in LOG) and compares it with the stored one.

Endpoint and keys from CAIRN_ENDPOINT, CAIRN_ACCESS_KEY_ID, CAIRN_SECRET_ACCESS_KEY. Prints what
failed and exits 1; exits 0 silently when everything held.
"""
import argparse
import hashlib
import json
import os
import re
import sys

import boto3
from botocore.config import Config


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["CAIRN_ENDPOINT"],
        aws_access_key_id=os.environ["CAIRN_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["CAIRN_SECRET_ACCESS_KEY"],
        region_name="auto",
        config=Config(retries={"max_attempts": 1}, connect_timeout=10, read_timeout=60,
                      s3={"addressing_style": "path"}),
    )


def unquote(etag):
    return (etag or "").strip().strip('"')


def multipart_etag(data, part_size):
    md5s = b"".join(hashlib.md5(data[i:i + part_size]).digest()
                    for i in range(0, max(len(data), 1), part_size))
    return "%s-%d" % (hashlib.md5(md5s).hexdigest(), len(md5s) // 16)


def printed_etag(log):
    """The last ETag an example printed: JSON {"etag": ...} or a line "... ETag: VALUE"."""
    found = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    value = json.loads(line)
                except ValueError:
                    value = None
                if isinstance(value, dict) and "etag" in value:
                    found = value["etag"]
                    continue
            m = re.search(r"ETag: (\S+)", line)
            if m:
                found = m.group(1)
    return found


def check_object(args, problems):
    s3 = client()
    try:
        head = s3.head_object(Bucket=args.bucket, Key=args.key)
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        problems.append("%s/%s: head failed: %s" % (args.bucket, args.key, e))
        return
    etag = unquote(head["ETag"])
    where = "%s/%s" % (args.bucket, args.key)

    if args.size is not None and head["ContentLength"] != args.size:
        problems.append("%s: size %d, expected %d" % (where, head["ContentLength"], args.size))
    for field, want in (("ContentType", args.content_type), ("CacheControl", args.cache_control),
                        ("ContentDisposition", args.content_disposition)):
        if want is not None and head.get(field) != want:
            problems.append("%s: %s %r, expected %r" % (where, field, head.get(field), want))
    for pair in args.meta or []:
        name, _, value = pair.partition("=")
        got = head.get("Metadata", {}).get(name.lower())
        if got != value:
            problems.append("%s: metadata %s=%r, expected %r" % (where, name, got, value))

    if args.same_as or args.md5_etag or args.multipart_etag:
        data = s3.get_object(Bucket=args.bucket, Key=args.key)["Body"].read()
        if len(data) != head["ContentLength"]:
            problems.append("%s: GET returned %d bytes, HEAD says %d"
                            % (where, len(data), head["ContentLength"]))
        if args.same_as:
            with open(args.same_as, "rb") as f:
                want = f.read()
            if data != want:
                problems.append("%s: stored bytes (%d) differ from %s (%d bytes)"
                                % (where, len(data), args.same_as, len(want)))
        if args.md5_etag and etag != hashlib.md5(data).hexdigest():
            problems.append("%s: ETag %s, expected the MD5 %s"
                            % (where, etag, hashlib.md5(data).hexdigest()))
        if args.multipart_etag and etag != multipart_etag(data, args.multipart_etag):
            problems.append("%s: ETag %s, expected %s (parts of %d bytes)"
                            % (where, etag, multipart_etag(data, args.multipart_etag),
                               args.multipart_etag))

    if args.etag_from:
        printed = printed_etag(args.etag_from)
        if printed is None:
            problems.append("%s: the example printed no ETag" % where)
        elif unquote(printed) != etag:
            problems.append("%s: the example printed ETag %s, the server has %s"
                            % (where, printed, etag))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    mk = sub.add_parser("mkbucket")
    mk.add_argument("buckets", nargs="+")
    obj = sub.add_parser("object")
    obj.add_argument("bucket")
    obj.add_argument("key")
    obj.add_argument("--size", type=int)
    obj.add_argument("--same-as")
    etags = obj.add_mutually_exclusive_group()
    etags.add_argument("--md5-etag", action="store_true")
    etags.add_argument("--multipart-etag", type=int, metavar="PART_SIZE")
    obj.add_argument("--etag-from")
    obj.add_argument("--content-type")
    obj.add_argument("--cache-control")
    obj.add_argument("--content-disposition")
    obj.add_argument("--meta", action="append")
    nu = sub.add_parser("no-uploads")
    nu.add_argument("buckets", nargs="+")
    args = parser.parse_args()

    problems = []
    if args.command == "mkbucket":
        s3 = client()
        for bucket in args.buckets:
            try:
                s3.create_bucket(Bucket=bucket)
            except Exception as e:  # noqa: BLE001
                problems.append("create bucket %s: %s" % (bucket, e))
    elif args.command == "object":
        check_object(args, problems)
    else:
        s3 = client()
        for bucket in args.buckets:
            uploads = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
            for u in uploads:
                problems.append("%s: upload %s of %s left in progress"
                                % (bucket, u["UploadId"], u["Key"]))

    for p in problems:
        print("CHECK FAILED: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
