// How the dashboard's pages fetch from the S3 API. The console is an origin of its own, so every
// S3 request is cross-origin, and it carries no credentials: the presigned URL is its whole
// authority, and no cookie ever goes to the S3 origin. Reads skip the HTTP cache (a listing must be
// fresh, and a presigned URL can repeat within a second). Writes leave the cache mode alone:
// "no-store" makes the browser add `Cache-Control: no-cache` and `Pragma: no-cache` to the request,
// and S3 stores a PUT's or CreateMultipartUpload's Cache-Control as the object's metadata.
export function s3FetchInit(method, init = {}) {
  const read = method === "GET" || method === "HEAD";
  return { ...init, method, mode: "cors", credentials: "omit", ...(read ? { cache: "no-store" } : {}) };
}
