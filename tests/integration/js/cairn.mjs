// The helpers the node:test suites share: the real cairn binary (server.mjs), the SDK client of
// the R2 guide pointed at it, digests. Every wait is bounded.
import { createHash, randomBytes } from "node:crypto";

import assert from "node:assert/strict";

import { S3Client } from "@aws-sdk/client-s3";
import { AwsClient } from "aws4fetch";

export { sleep, startTarget } from "./server.mjs";

export const md5hex = (buf) => createHash("md5").update(buf).digest("hex");
export const quotedMd5 = (buf) => `"${md5hex(buf)}"`;
export const crc32b64 = (buf) => {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((~c) >>> 0);
  return out.toString("base64");
};
export const randomName = (prefix) => `${prefix}-${randomBytes(4).toString("hex")}`;

// A request handler that records what goes on the wire (method, path, query, headers) and then
// hands the request to the SDK's own node handler.
export function recordingHandler(t) {
  const inner = s3client(t).config.requestHandler;
  const seen = [];
  return {
    seen,
    handler: {
      metadata: { handlerProtocol: "http/1.1" },
      handle(request, options) {
        seen.push({ method: request.method, path: request.path, query: { ...request.query },
          headers: { ...request.headers } });
        return inner.handle(request, options);
      },
      updateHttpClientConfig(k, v) { inner.updateHttpClientConfig?.(k, v); },
      httpHandlerConfigs() { return inner.httpHandlerConfigs?.() ?? {}; },
      destroy() { inner.destroy?.(); },
    },
  };
}

// The client of the R2 guide, pointed at the target. extra: more S3Client options.
export function s3client(t, extra = {}) {
  return new S3Client({
    region: t.region,
    endpoint: t.endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60000 },
    ...extra,
  });
}

// fetch with a timeout.
export function fetchT(url, init = {}, ms = 30000) {
  return fetch(url, { signal: AbortSignal.timeout(ms), ...init });
}

export function xmlCode(text) {
  const m = /<Code>([^<]*)<\/Code>/.exec(text);
  return m ? m[1] : null;
}

// One call of cairn's admin API on target `t` (JSON in and out), signed by `creds`
// ({accessKeyId, secretAccessKey, sessionToken?}); answers {status, json, text}.
export async function adminRequest(t, creds, method, path, body) {
  const aws = new AwsClient({ ...creds, service: "s3", region: t.region, retries: 0 });
  const payload = body === undefined ? "" : JSON.stringify(body);
  const headers = { "x-amz-content-sha256": createHash("sha256").update(payload).digest("hex") };
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await aws.fetch(`${t.endpoint}/_cairn/admin/${path}`, {
    method, headers, body: body === undefined ? undefined : payload,
    signal: AbortSignal.timeout(30000),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* an XML error */ }
  return { status: r.status, json, text };
}

// The same, asserting a 200; answers the JSON.
export async function adminRequestOk(t, creds, method, path, body) {
  const r = await adminRequest(t, creds, method, path, body);
  assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
  return r.json;
}
