// Single upload with the AWS SDK for JavaScript v3: PutObjectCommand with a Content-Type.
//
//   node put-object.mjs BUCKET [KEY] [FILE]     (KEY default image.png; FILE default: generated)
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { readFile } from "node:fs/promises";
import { args, sampleFile, serverFromEnv } from "./env.mjs";

const { bucket, key, file } = args("put-object.mjs BUCKET [KEY] [FILE]", "image.png");
const server = serverFromEnv();

const S3 = new S3Client({
  region: "auto",
  endpoint: server.endpoint,
  forcePathStyle: true, // cairn on an IP address or localhost: the bucket goes in the path
  credentials: {
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  },
});

const fileContent = await readFile(file ?? sampleFile("image.png", 64 * 1024));

const response = await S3.send(
  new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    Body: fileContent,
    ContentType: "image/png",
  }),
);
console.log(`Uploaded successfully. ETag: ${response.ETag}`);
