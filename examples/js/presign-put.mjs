// Presigned PUT with @aws-sdk/s3-request-presigner: the server signs a URL, the client uploads to it
// with a plain fetch and no keys.
//
//   node presign-put.mjs BUCKET [KEY] [FILE]    (KEY default user-upload.png; FILE: generated)
//
// requestChecksumCalculation: "WHEN_REQUIRED" matters: by default the SDK (>= 3.729) signs a CRC32
// of an empty body into the URL (x-amz-checksum-crc32=AAAAAA==), and the server then refuses the
// real upload with BadDigest, as S3 and R2 do.
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { readFile } from "node:fs/promises";
import { args, sampleFile, serverFromEnv } from "./env.mjs";

const { bucket, key, file } = args("presign-put.mjs BUCKET [KEY] [FILE]", "user-upload.png");
const server = serverFromEnv();

const S3 = new S3Client({
  region: "auto",
  endpoint: server.endpoint,
  forcePathStyle: true,
  requestChecksumCalculation: "WHEN_REQUIRED",
  credentials: {
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  },
});

// Server side: sign a PUT valid for one hour. The Content-Type is signed: the upload must send it.
const presignedUrl = await getSignedUrl(
  S3,
  new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: "image/png" }),
  { expiresIn: 3600 },
);
console.log(presignedUrl);

// Client side: a plain HTTP PUT of the bytes.
const body = await readFile(file ?? sampleFile("user-upload.png", 32 * 1024));
const response = await fetch(presignedUrl, {
  method: "PUT",
  headers: { "Content-Type": "image/png" },
  body,
});
if (!response.ok) {
  console.error(`Upload failed: HTTP ${response.status}\n${await response.text()}`);
  process.exit(1);
}
console.log(`Uploaded successfully. ETag: ${response.headers.get("etag")}`);
