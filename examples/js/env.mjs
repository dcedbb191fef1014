// Shared by the examples in this folder: where the server is, with which keys, and the command
// line. Everything else is in each example, as in the guide.
//
//   CAIRN_ENDPOINT           http://127.0.0.1:9000 (R2: https://<ACCOUNT_ID>.r2.cloudflarestorage.com)
//   CAIRN_ACCESS_KEY_ID      the access key
//   CAIRN_SECRET_ACCESS_KEY  its secret
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function serverFromEnv() {
  const names = ["CAIRN_ENDPOINT", "CAIRN_ACCESS_KEY_ID", "CAIRN_SECRET_ACCESS_KEY"];
  for (const name of names) {
    if (!process.env[name]) {
      console.error(`error: set ${name} (${names.join(", ")} are needed)`);
      process.exit(2);
    }
  }
  return {
    endpoint: process.env.CAIRN_ENDPOINT,
    accessKeyId: process.env.CAIRN_ACCESS_KEY_ID,
    secretAccessKey: process.env.CAIRN_SECRET_ACCESS_KEY,
  };
}

// argv after the script: BUCKET [KEY] [FILE]; `defaultKey` when KEY is absent.
export function args(usage, defaultKey) {
  const [bucket, key = defaultKey, file] = process.argv.slice(2);
  if (!bucket) {
    console.error(`usage: node ${usage}`);
    process.exit(2);
  }
  return { bucket, key, file };
}

// A file of `size` random bytes in a temporary folder (removed at exit), for running an example
// without a file.
export function sampleFile(name, size) {
  const dir = mkdtempSync(join(tmpdir(), "cairn-example-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  writeFileSync(path, randomBytes(size));
  return path;
}
