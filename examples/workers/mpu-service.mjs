// The guide's HTTP API for multipart uploads driven by a client (a browser, an app): the client
// cuts its file into parts and sends each to this Worker, which passes them to the bucket.
//   POST   /<key>?action=mpu-create                              -> {key, uploadId}
//   PUT    /<key>?action=mpu-uploadpart&uploadId=U&partNumber=N   -> {partNumber, etag}
//   POST   /<key>?action=mpu-complete&uploadId=U  {parts: [...]} -> 200, the object's ETag header
//   DELETE /<key>?action=mpu-abort&uploadId=U                    -> 204
// Between calls the Worker keeps nothing: resumeMultipartUpload() picks an upload up by its id.
// The API's answers to a request that lacks something, in the guide's words (its clients match
// them).
function missing(what) {
  return new Response(`Missing ${what}`, { status: 400 });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = decodeURIComponent(url.pathname.slice(1));
    const uploadId = url.searchParams.get("uploadId");
    const action = url.searchParams.get("action");
    if (!key || !action) return missing("key or action");
    switch (action) {
      case "mpu-create": {
        const upload = await env.MY_BUCKET.createMultipartUpload(key);
        return Response.json({ key: upload.key, uploadId: upload.uploadId });
      }
      case "mpu-uploadpart": {
        const partNumber = Number(url.searchParams.get("partNumber"));
        if (!uploadId || !partNumber || !request.body) return missing("uploadId, partNumber, or body");
        try {
          const part = await env.MY_BUCKET.resumeMultipartUpload(key, uploadId)
            .uploadPart(partNumber, request.body);
          return Response.json(part);
        } catch (err) {
          return new Response(`${err}\n`, { status: 400 });
        }
      }
      case "mpu-complete": {
        if (!uploadId) return missing("uploadId");
        const { parts } = await request.json();
        try {
          const stored = await env.MY_BUCKET.resumeMultipartUpload(key, uploadId).complete(parts);
          return new Response(null, { headers: { etag: stored.httpEtag } });
        } catch (err) {
          return new Response(`${err}\n`, { status: 400 });
        }
      }
      case "mpu-abort": {
        if (!uploadId) return missing("uploadId");
        try {
          await env.MY_BUCKET.resumeMultipartUpload(key, uploadId).abort();
        } catch (err) {
          return new Response(`${err}\n`, { status: 400 });
        }
        return new Response(null, { status: 204 });
      }
      default:
        return new Response(`Unknown action: ${action}\n`, { status: 400 });
    }
  },
};
