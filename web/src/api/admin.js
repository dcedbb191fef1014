// cairn's admin API (docs/access-keys.md): JSON calls under /_cairn/admin/ on the S3 API's origin,
// presigned by the dashboard server like every S3 request (s3.js), so they carry the session key's
// permission and its errors are the S3 API's own XML errors.
import { send } from "./s3.js";

async function call(method, path, body, query = {}) {
  const json = body !== undefined;
  const resp = await send({
    method,
    admin: path,
    query,
    headers: json ? { "Content-Type": "application/json" } : {},
    body: json ? JSON.stringify(body) : undefined,
  });
  return resp.status === 204 ? null : resp.json();
}

// The session's own key, as the key list describes one.
export const whoami = () => call("GET", "whoami");

export const listKeys = () => call("GET", "keys").then((d) => d.keys);

// `spec`: {name, permission, buckets, prefixes, expiresInSeconds}. The answer holds the secret,
// the only time it is ever shown.
export const createKey = (spec) => call("POST", "keys", spec);

export const revokeKey = (accessKeyId) => call("DELETE", `keys/${accessKeyId}`);

export const bucketIsPublic = (bucket) => call("GET", `buckets/${bucket}/public`).then((d) => d.public);

export const setBucketPublic = (bucket, isPublic) => call("PUT", `buckets/${bucket}/public`, { public: isPublic }).then((d) => d.public);

// One page of the bucket's keys containing `text` (docs/access-keys.md, "Searching keys"):
// {matches: [{key, size, lastModified, etag, storageClass}], cursor (null at the end), scanned}.
export function searchKeys(bucket, { text, prefix = "", cursor = null, limit = 100 }) {
  const query = { q: text, limit: String(limit) };
  if (prefix) query.prefix = prefix;
  if (cursor) query.cursor = cursor;
  return call("GET", `buckets/${bucket}/search`, undefined, query);
}

// A bucket's figures ({name, createdAt, location, objectCount, bytes}), or null when the key may
// not read them (admin keys only).
export const bucketInfo = (bucket) => call("GET", `buckets/${bucket}`).catch(() => null);

// Every bucket with its figures, by name.
export const listBucketFigures = () => call("GET", "buckets").then((d) => d.buckets);
