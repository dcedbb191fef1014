// Presigned PUT with aws4fetch, the small SigV4 library Workers use: sign the URL (query signing),
// then upload to it with a plain fetch and no keys.
//
//   node presign-aws4fetch.mjs BUCKET [KEY] [FILE]   (KEY default image.png; FILE: generated)
import { AwsClient } from "aws4fetch";
import { readFile } from "node:fs/promises";
import { args, sampleFile, serverFromEnv } from "./env.mjs";

const { bucket, key, file } = args("presign-aws4fetch.mjs BUCKET [KEY] [FILE]", "image.png");
const server = serverFromEnv();

const r2 = new AwsClient({
  accessKeyId: server.accessKeyId,
  secretAccessKey: server.secretAccessKey,
  // aws4fetch guesses these from an *.r2.cloudflarestorage.com or AWS host name; not from ours.
  service: "s3",
  region: "auto",
});

// Server side: a PUT URL valid for one hour (path style: endpoint/bucket/key).
const url = new URL(
  `${server.endpoint.replace(/\/+$/, "")}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
);
url.searchParams.set("X-Amz-Expires", "3600");
const signed = await r2.sign(new Request(url, { method: "PUT" }), { aws: { signQuery: true } });
console.log(signed.url);

// Client side: a plain HTTP PUT to the signed URL.
const body = await readFile(file ?? sampleFile("image.png", 16 * 1024));
const response = await fetch(signed.url, { method: "PUT", body });
if (!response.ok) {
  console.error(`Upload failed: HTTP ${response.status}\n${await response.text()}`);
  process.exit(1);
}
console.log(`Uploaded successfully. ETag: ${response.headers.get("etag")}`);
