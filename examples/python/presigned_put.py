"""Presigned PUT with boto3: the server signs a URL, the client uploads to it with a plain HTTP
PUT (urllib) and no keys.

  python3 presigned_put.py BUCKET [KEY] [FILE]    (KEY default user-upload.png; FILE: generated)
"""
import urllib.error
import urllib.request

from cairn_env import args, s3_client, sample_file

bucket, key, path = args("presigned_put.py BUCKET [KEY] [FILE]", "user-upload.png")
s3 = s3_client()

# Server side: a PUT URL valid for one hour. The Content-Type is signed: the upload must send it.
presigned_url = s3.generate_presigned_url(
    "put_object",
    Params={
        "Bucket": bucket,
        "Key": key,
        "ContentType": "image/png",
    },
    ExpiresIn=3600,
)
print(presigned_url)

# Client side: a plain HTTP PUT of the bytes.
with open(path or sample_file("user-upload.png", 32 * 1024), "rb") as f:
    body = f.read()
request = urllib.request.Request(presigned_url, data=body, method="PUT",
                                 headers={"Content-Type": "image/png"})
try:
    with urllib.request.urlopen(request, timeout=60) as response:
        print(f"Uploaded successfully. ETag: {response.headers['ETag']}")
except urllib.error.HTTPError as e:
    raise SystemExit(f"Upload failed: HTTP {e.code}\n{e.read().decode(errors='replace')}")
