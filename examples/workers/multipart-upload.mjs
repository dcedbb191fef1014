// A multipart upload driven by the Worker itself, as the guide's second Workers example: POST
// /<key> with the bytes; the Worker cuts them into 5 MiB parts (the smallest R2 takes but for the
// last), uploads each, completes the upload and answers the object's key and quoted ETag. Should
// any step fail, it aborts the upload so that its parts do not linger, and answers 500.
const PART_SIZE = 5 * 1024 * 1024;

export default {
  async fetch(request, env) {
    if (request.method !== "POST") {
      return new Response("POST /<key> with the bytes to store\n", { status: 405 });
    }
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    if (!key) return new Response("name the key in the path\n", { status: 400 });
    const bytes = new Uint8Array(await request.arrayBuffer());
    const upload = await env.MY_BUCKET.createMultipartUpload(key, {
      httpMetadata: { contentType: request.headers.get("content-type") ?? "application/octet-stream" },
    });
    try {
      const parts = [];
      for (let start = 0, number = 1; start < bytes.length || number === 1; start += PART_SIZE, number++) {
        parts.push(await upload.uploadPart(number, bytes.subarray(start, start + PART_SIZE)));
      }
      const stored = await upload.complete(parts);
      return Response.json({ key: stored.key, etag: stored.httpEtag, parts: parts.length });
    } catch (err) {
      await upload.abort();
      return new Response(`Multipart upload failed: ${err}\n`, { status: 500 });
    }
  },
};
