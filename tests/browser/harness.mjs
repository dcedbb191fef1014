// What the browser suites share: cairn started like every other suite starts it
// (../integration/js/server.mjs) with its console (the dashboard) on a port of its own, Debian's Chromium driven by Playwright (headless, a fresh
// profile, no background networking), sign-in to the dashboard, screenshots kept as test artifacts
// (tests/artifacts/browser, not committed), the AWS SDK to check what the browser stored, and
// file contents that the page and the test can both produce from a seed.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { freePort, startTarget as startServer } from "../integration/js/server.mjs";

export { freePort, sleep } from "../integration/js/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = resolve(here, "..", "artifacts", "browser");
export const MiB = 1024 * 1024;
const CHROMIUM = process.env.CAIRN_CHROMIUM || "/usr/bin/chromium";

// A browser with its own throwaway profile. close() removes the profile too.
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "cairn-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    timeout: 60000,
  });
  context.setDefaultTimeout(30000);
  return {
    context,
    async page() {
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// cairn with its console on a free port: target.console is the dashboard's origin, another
// origin than target.endpoint (the S3 API). options as startServer's.
export async function startTarget(options = {}) {
  if (process.env.CAIRN_TEST_ENDPOINT) {
    const target = await startServer(options);
    return { ...target, console: (process.env.CAIRN_TEST_CONSOLE || target.endpoint).replace(/\/$/, "") };
  }
  const consolePort = await freePort();
  const target = await startServer({
    ...options, extraArgs: ["--console-listen", `127.0.0.1:${consolePort}`, ...(options.extraArgs ?? [])],
  });
  return { ...target, console: `http://127.0.0.1:${consolePort}` };
}

// What most suites start with: cairn, `bucket` created in it, and Chromium signed in to its
// dashboard. stopSignedIn(what this resolves with) ends them.
export async function startSignedIn(bucket) {
  const target = await startTarget();
  const s3 = s3client(target);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const browser = await launchBrowser();
  const page = await browser.page();
  await signIn(page, target);
  return { target, s3, browser, page };
}

export async function stopSignedIn({ target, browser }) {
  await browser?.close();
  await target?.stop();
}

export function dashboardUrl(target) {
  return `${target.console}/_cairn/ui/`;
}

export async function signIn(page, target) {
  await page.goto(dashboardUrl(target));
  await page.getByLabel("Access key ID").fill(target.accessKeyId);
  await page.getByLabel("Secret access key").fill(target.secretAccessKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Buckets", exact: true }).waitFor();
}

// Drops files made in the page from (name, size, seed, type) onto the bucket page, the way a
// drag from the desktop arrives.
export async function dropFilesOn(page, files) {
  await page.evaluate(
    ({ files, patternSource }) => {
      const fill = eval(`(${patternSource})`);
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([fill(new Uint8Array(f.size), f.seed)], f.name, { type: f.type }));
      const zone = document.querySelector("[data-testid=bucket-page]");
      for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { files, patternSource },
  );
}

// Waits until the upload of each of `keys` is done; fails at once when one fails. A finished upload
// leaves the tray a few seconds later, so every key is counted when it is first seen done.
export async function waitForUploads(page, keys, ms = 90000) {
  const done = new Set();
  return eventually(async () => {
    const states = await page.locator(".upload").evaluateAll((items) => items.map((i) => ({ key: i.dataset.key, state: i.dataset.state })));
    const failed = states.find((s) => s.state === "failed");
    if (failed) throw new Error(`upload of ${failed.key} failed: ${await page.locator(".upload-failed").first().innerText()}`);
    for (const s of states) if (s.state === "done") done.add(s.key);
    return keys.every((key) => done.has(key));
  }, ms, `the uploads of ${keys.join(", ")} to finish`);
}

// `extra`: more S3Client options.
export function s3client(target, extra = {}) {
  return new S3Client({
    region: target.region,
    endpoint: target.endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    ...extra,
  });
}

// What boto3 downloads: {key: {etag, md5, size, contentType}} for each key, by get_object.
export function boto3Objects(target, bucket, keys) {
  const script = `
import boto3, hashlib, json, sys
t = json.load(sys.stdin)
s3 = boto3.client("s3", endpoint_url=t["endpoint"], region_name=t["region"],
                  aws_access_key_id=t["key"], aws_secret_access_key=t["secret"])
out = {}
for key in t["keys"]:
    r = s3.get_object(Bucket=t["bucket"], Key=key)
    body = r["Body"].read()
    out[key] = {"etag": r["ETag"], "md5": hashlib.md5(body).hexdigest(), "size": len(body),
                "contentType": r["ContentType"]}
print(json.dumps(out))
`;
  const input = JSON.stringify({ endpoint: target.endpoint, region: target.region, key: target.accessKeyId,
    secret: target.secretAccessKey, bucket, keys });
  return JSON.parse(execFileSync("python3", ["-c", script], { input, timeout: 60000, maxBuffer: 1 << 20 }).toString());
}

export const md5hex = (bytes) => createHash("md5").update(bytes).digest("hex");
export const sha256hex = (bytes) => createHash("sha256").update(bytes).digest("hex");

// The multipart ETag of `bytes` cut into parts of `partSize`: MD5 of the parts' MD5s, then -N.
export function multipartEtag(bytes, partSize) {
  const digests = [];
  for (let start = 0; start < bytes.length; start += partSize) {
    digests.push(createHash("md5").update(bytes.subarray(start, start + partSize)).digest());
  }
  return `${md5hex(Buffer.concat(digests))}-${digests.length}`;
}

// Fills `bytes` (a Uint8Array) from `seed` with xorshift32. Self-contained, so that a page can
// run it too (pass patternSource to page.evaluate) and both sides hold the same file.
export function fillPattern(bytes, seed) {
  let x = seed >>> 0 || 1;
  for (let i = 0; i < bytes.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}
export const patternSource = fillPattern.toString();

export function patternBuffer(size, seed) {
  return fillPattern(Buffer.alloc(size), seed);
}

export async function bodyBytes(response) {
  return Buffer.from(await response.Body.transformToByteArray());
}

// Waits until `predicate()` is true (polling), or fails after `ms`.
export async function eventually(predicate, ms = 30000, what = "condition") {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
