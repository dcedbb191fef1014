// A Worker that lets a test call any method of env.MY_BUCKET: POST / with JSON
//   {"call": "put", "key": "k", "value": V, "options": O}
// answers {"result": R} or {"error": "<message>", "name": "<Error name>"}. Values and options are
// JSON with three tagged forms: {"$bytes": "<base64>"} (a Uint8Array), {"$date": ms} (a Date),
// {"$headers": {...}} (a Headers). An R2Object comes back as plain JSON with its checksums as hex
// and, for a get, its body as base64 (or "hasBody": false when a condition failed).
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  if ("$bytes" in value) return Uint8Array.from(atob(value.$bytes), (c) => c.charCodeAt(0));
  if ("$date" in value) return new Date(value.$date);
  if ("$headers" in value) return new Headers(value.$headers);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
}

function base64(buffer) {
  let text = "";
  for (const b of new Uint8Array(buffer)) text += String.fromCharCode(b);
  return btoa(text);
}

async function describe(object) {
  if (object === null || object === undefined) return object ?? null;
  const out = {
    key: object.key,
    version: object.version,
    size: object.size,
    etag: object.etag,
    httpEtag: object.httpEtag,
    uploaded: object.uploaded.getTime(),
    httpMetadata: {
      ...object.httpMetadata,
      ...(object.httpMetadata?.cacheExpiry ? { cacheExpiry: object.httpMetadata.cacheExpiry.getTime() } : {}),
    },
    customMetadata: object.customMetadata,
    checksums: object.checksums.toJSON(),
    storageClass: object.storageClass,
    range: object.range,
    hasBody: "body" in object,
  };
  if ("body" in object) out.body = base64(await object.arrayBuffer());
  return out;
}

async function run(bucket, { call, key, value, options, uploadId, partNumber, parts }) {
  switch (call) {
    case "head":
      return describe(await bucket.head(key));
    case "get":
      return describe(await bucket.get(key, revive(options)));
    case "put":
      return describe(await bucket.put(key, revive(value), revive(options)));
    case "delete":
      return bucket.delete(revive(key));
    case "list": {
      const page = await bucket.list(revive(options));
      return { ...page, objects: await Promise.all(page.objects.map(describe)) };
    }
    case "createMultipartUpload": {
      const upload = await bucket.createMultipartUpload(key, revive(options));
      return { key: upload.key, uploadId: upload.uploadId };
    }
    case "uploadPart":
      return bucket.resumeMultipartUpload(key, uploadId).uploadPart(partNumber, revive(value));
    case "complete":
      return describe(await bucket.resumeMultipartUpload(key, uploadId).complete(parts));
    case "abort":
      return bucket.resumeMultipartUpload(key, uploadId).abort();
    default:
      throw new Error(`no such call: ${call}`);
  }
}

export default {
  async fetch(request, env) {
    try {
      return Response.json({ result: (await run(env.MY_BUCKET, await request.json())) ?? null });
    } catch (err) {
      return Response.json({ error: String(err.message ?? err), name: err.name });
    }
  },
};
