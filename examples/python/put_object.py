"""Single upload with boto3: put_object with a Content-Type.

  python3 put_object.py BUCKET [KEY] [FILE]     (KEY default image.png; FILE default: generated)
"""
from cairn_env import args, s3_client, sample_file

bucket, key, path = args("put_object.py BUCKET [KEY] [FILE]", "image.png")
s3 = s3_client()

with open(path or sample_file("image.png", 64 * 1024), "rb") as f:
    response = s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=f,
        ContentType="image/png",
    )
    print(f"Uploaded successfully. ETag: {response['ETag']}")
