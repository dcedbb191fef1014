// A single upload through the Workers binding: PUT /<key> stores the request body under <key>
// with the request's Content-Type and answers the stored object's key, size and ETag, as the
// guide's first Workers example does. A request with If-None-Match: * stores only if the key is
// free: put() returns null when a condition fails, and this answers 412.
export default {
  async fetch(request, env) {
    if (request.method !== "PUT") {
      return new Response("PUT /<key> with the bytes to store\n", { status: 405 });
    }
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    if (!key) return new Response("name the key in the path\n", { status: 400 });
    try {
      const stored = await env.MY_BUCKET.put(key, request.body, {
        httpMetadata: { contentType: request.headers.get("content-type") ?? "application/octet-stream" },
        onlyIf: request.headers.get("if-none-match") === "*" ? { etagDoesNotMatch: "*" } : undefined,
      });
      if (stored === null) return new Response("the key is taken\n", { status: 412 });
      return Response.json({ key: stored.key, size: stored.size, etag: stored.etag });
    } catch (err) {
      return new Response(`Upload failed: ${err}\n`, { status: 500 });
    }
  },
};
