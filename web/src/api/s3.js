// The S3 operations the dashboard uses. Each request is presigned by the server for the S3 API's
// origin (session.js) and then sent by the browser itself, cross-origin (fetchInit.js), so errors
// are the S3 API's own.
import SparkMD5 from "spark-md5";
import { decodeEncodedWords, encodeMetadataValue } from "../lib/encodedWords.js";
import { s3FetchInit } from "./fetchInit.js";
import { presign } from "./session.js";
import { child, childText, children, element, parseXml, urlDecoded, xmlDocument } from "./xml.js";

export class S3Error extends Error {
  constructor(status, code, message, requestId) {
    super(message || code || `HTTP ${status}`);
    this.name = "S3Error";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

// The error of a failed response from its S3 error document (HEAD responses have none: the status
// tells).
export function s3Error(status, text) {
  if (text.includes("<Error>")) {
    try {
      const root = parseXml(text);
      return new S3Error(status, childText(root, "Code"), childText(root, "Message"), childText(root, "RequestId"));
    } catch {
      // fall through: not XML after all
    }
  }
  return new S3Error(status, "", `The server answered HTTP ${status}.`, "");
}

async function errorOf(resp) {
  return s3Error(resp.status, await resp.text().catch(() => ""));
}

// Base64 of the MD5 of a UTF-8 string: Content-MD5 for the documents S3 wants a digest of.
function contentMd5(text) {
  return btoa(SparkMD5.hash(text, true));
}

export function presignedUrl(request, expiresIn) {
  return presign([request], expiresIn).then((urls) => urls[0]);
}

// Presigns and sends one request: to a bucket and key, or to cairn's admin API when `admin` names
// a path below /_cairn/admin/ (admin.js). `signed` headers are part of the signature and sent as
// signed; `headers` are sent unsigned, so they must not be x-amz-* headers (the server refuses
// those). Resolves with the Response when it is 2xx, else throws S3Error.
export async function send({ method, bucket = "", key = "", admin, query = {}, signed = {}, headers = {}, body }) {
  const url = await presignedUrl({ method, bucket, key, admin, query, headers: signed });
  const resp = await fetch(url, s3FetchInit(method, { headers: { ...signed, ...headers }, body }));
  if (!resp.ok) throw await errorOf(resp);
  return resp;
}

async function sendXml(request) {
  const resp = await send(request);
  return parseXml(await resp.text());
}

function xmlBody(root, parts) {
  const body = xmlDocument(root, parts);
  return { body, headers: { "Content-Type": "application/xml", "Content-MD5": contentMd5(body) } };
}

// ---- buckets

export async function listBuckets() {
  const root = await sendXml({ method: "GET" });
  const list = child(root, "Buckets");
  return (list ? children(list, "Bucket") : []).map((b) => ({
    name: childText(b, "Name"),
    created: new Date(childText(b, "CreationDate")),
  }));
}

export function createBucket(bucket) {
  return send({ method: "PUT", bucket });
}

// Whether a HEAD of a bucket or an object finds it: HEAD answers carry no error document, so a 404
// tells.
async function found(request) {
  try {
    await send({ method: "HEAD", ...request });
    return true;
  } catch (error) {
    if (error.status === 404) return false;
    throw error;
  }
}

export function bucketExists(bucket) {
  return found({ bucket });
}

export function deleteBucket(bucket) {
  return send({ method: "DELETE", bucket });
}

// ---- objects

// One page of a folder-style listing: {folders: [prefix], objects: [...], truncated}. A page
// starts after `startAfter`, a key or a folder (cairn, like S3, then skips the folder's keys).
export async function listObjects(bucket, { prefix = "", delimiter = "/", startAfter = "", maxKeys = 200 } = {}) {
  const query = { "list-type": "2", "encoding-type": "url", "max-keys": String(maxKeys), prefix };
  if (delimiter) query.delimiter = delimiter;
  if (startAfter) query["start-after"] = startAfter;
  const root = await sendXml({ method: "GET", bucket, query });
  return {
    folders: children(root, "CommonPrefixes").map((p) => urlDecoded(childText(p, "Prefix"))),
    objects: children(root, "Contents").map((c) => ({
      key: urlDecoded(childText(c, "Key")),
      size: Number(childText(c, "Size", "0")),
      lastModified: new Date(childText(c, "LastModified")),
      etag: childText(c, "ETag").replace(/"/g, ""),
      storageClass: childText(c, "StorageClass", "STANDARD"),
    })),
    truncated: childText(root, "IsTruncated") === "true",
  };
}

// Whether any object's key starts with `prefix`.
export async function anyObjectUnder(bucket, prefix) {
  const page = await listObjects(bucket, { prefix, delimiter: "", maxKeys: 1 });
  return page.objects.length > 0;
}

// Whether the bucket holds no object at all (DeleteBucket's precondition).
export async function bucketIsEmpty(bucket) {
  return !(await anyObjectUnder(bucket, ""));
}

// The object's headers: HTTP metadata, custom metadata (x-amz-meta-*, decoded from the RFC 2047
// words that carry text beyond ASCII), ETag, storage class, and its checksum when it has one.
export async function headObject(bucket, key) {
  const resp = await send({ method: "HEAD", bucket, key, signed: { "x-amz-checksum-mode": "ENABLED" } });
  const h = resp.headers;
  const metadata = [];
  const checksums = [];
  h.forEach((value, name) => {
    if (name.startsWith("x-amz-meta-")) metadata.push([name.slice("x-amz-meta-".length), decodeEncodedWords(value)]);
    if (name.startsWith("x-amz-checksum-") && name !== "x-amz-checksum-type") {
      checksums.push([name.slice("x-amz-checksum-".length).toUpperCase(), value]);
    }
  });
  return {
    size: Number(h.get("content-length") ?? 0),
    etag: (h.get("etag") ?? "").replace(/"/g, ""),
    lastModified: new Date(h.get("last-modified")),
    storageClass: h.get("x-amz-storage-class") ?? "STANDARD",
    contentType: h.get("content-type"),
    cacheControl: h.get("cache-control"),
    contentDisposition: h.get("content-disposition"),
    contentEncoding: h.get("content-encoding"),
    contentLanguage: h.get("content-language"),
    expires: h.get("expires"),
    partsCount: h.get("x-amz-mp-parts-count"),
    metadata,
    checksums,
  };
}

// The HTTP metadata an object can carry, as the header names S3 takes them under.
export const HTTP_METADATA = [
  ["contentType", "content-type"],
  ["cacheControl", "cache-control"],
  ["contentDisposition", "content-disposition"],
  ["contentEncoding", "content-encoding"],
  ["contentLanguage", "content-language"],
  ["expires", "expires"],
];

// The headers of a CopyObject from `sourceKey` that copies only the version `etag` names: if the
// source changed since it was read, S3 answers 412 PreconditionFailed.
function copyFrom(bucket, sourceKey, etag) {
  const path = [bucket, ...sourceKey.split("/")].map(encodeURIComponent).join("/");
  return { "x-amz-copy-source": `/${path}`, "x-amz-copy-source-if-match": `"${etag}"` };
}

// Replaces the object's HTTP and custom metadata by copying it onto itself (CopyObject with
// REPLACE); the bytes, the ETag and the storage class stay. Only the version `etag` names is
// changed: If-Match checks it again as the copy is stored, so a write that lands meanwhile is
// not undone.
export function replaceMetadata(bucket, key, { etag, storageClass, http, custom }) {
  const signed = {
    ...copyFrom(bucket, key, etag),
    "if-match": `"${etag}"`,
    "x-amz-metadata-directive": "REPLACE",
    "x-amz-storage-class": storageClass,
  };
  for (const [field, header] of HTTP_METADATA) if (http[field]) signed[header] = http[field];
  for (const [name, value] of custom) signed[`x-amz-meta-${name}`] = encodeMetadataValue(value);
  return send({ method: "PUT", bucket, key, signed });
}

// A zero-byte object: how S3 consoles make a folder (its key ends in "/").
export function putEmptyObject(bucket, key) {
  return send({ method: "PUT", bucket, key, body: "" });
}

// Copies the version `etag` of `sourceKey` to `key` with its metadata (CopyObject with COPY), only
// if `key` is free (If-None-Match: *). Either condition failing is 412 PreconditionFailed.
export function copyToFreeKey(bucket, sourceKey, key, etag) {
  return send({ method: "PUT", bucket, key, signed: { ...copyFrom(bucket, sourceKey, etag), "if-none-match": "*" } });
}

export function objectExists(bucket, key) {
  return found({ bucket, key });
}

// With `ifMatch` (an ETag) only that version is deleted: another one is 412 PreconditionFailed,
// and a missing key 404 NoSuchKey.
export function deleteObject(bucket, key, { ifMatch } = {}) {
  return send({ method: "DELETE", bucket, key, signed: ifMatch ? { "if-match": `"${ifMatch}"` } : {} });
}

// The first `bytes` bytes of the object (all of it when it is smaller), fetched from the S3 origin.
export async function readStart(bucket, key, bytes) {
  const resp = await send({ method: "GET", bucket, key, headers: { Range: `bytes=0-${bytes - 1}` } });
  return new Uint8Array(await resp.arrayBuffer());
}

// Deletes up to 1,000 keys in one request; resolves with the keys that could not be deleted.
export async function deleteObjects(bucket, keys) {
  const { body, headers } = xmlBody("Delete", [
    element("Quiet", "true"),
    ...keys.map((k) => element("Object", [element("Key", k)])),
  ]);
  const root = await sendXml({ method: "POST", bucket, query: { delete: "" }, headers, body });
  return children(root, "Error").map((e) => ({ key: childText(e, "Key"), message: childText(e, "Message") }));
}

// A GET that downloads the object as a file named as its key's last part.
function downloadRequest(bucket, key) {
  const name = key.split("/").pop() || "download";
  return {
    method: "GET",
    bucket,
    key,
    query: { "response-content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}` },
  };
}

// A URL that downloads the object as a file.
export function downloadUrl(bucket, key) {
  return presignedUrl(downloadRequest(bucket, key), 300);
}

// One such URL for each of `keys` (at most MAX_PRESIGN_BATCH), presigned in one request.
export function downloadUrls(bucket, keys) {
  return presign(keys.map((key) => downloadRequest(bucket, key)), 300);
}

export const MAX_PRESIGN_BATCH = 100;  // src/dashboard/presign_api.h

// A URL on the S3 origin that serves the object inline as `contentType`, whatever type it was
// stored with, for <img>, <audio>, <video> and a sandboxed <iframe> to show (lib/preview.js picks
// the type). Valid for an hour, so that media can still fetch ranges while they play.
export function previewUrl(bucket, key, contentType) {
  return presignedUrl({
    method: "GET",
    bucket,
    key,
    query: { "response-content-type": contentType, "response-content-disposition": "inline" },
  }, 3600);
}

// A link anyone can open to download the object for `seconds` (1 hour to 7 days): a presigned
// GET made with the session's key, so it stops working early if that key is revoked.
export function shareUrl(bucket, key, seconds) {
  return presignedUrl({ method: "GET", bucket, key }, seconds);
}

// ---- multipart

export async function createMultipartUpload(bucket, key, contentType) {
  const root = await sendXml({
    method: "POST",
    bucket,
    key,
    query: { uploads: "" },
    signed: contentType ? { "content-type": contentType } : {},
  });
  return childText(root, "UploadId");
}

export function completeMultipartUpload(bucket, key, uploadId, parts) {
  const { body, headers } = xmlBody(
    "CompleteMultipartUpload",
    parts.map((p) => element("Part", [element("PartNumber", p.number), element("ETag", p.etag)])),
  );
  return sendXml({ method: "POST", bucket, key, query: { uploadId }, headers, body }).then((root) => {
    if (root.localName === "Error") throw new S3Error(200, childText(root, "Code"), childText(root, "Message"));
    return { etag: childText(root, "ETag").replace(/"/g, "") };
  });
}

export function abortMultipartUpload(bucket, key, uploadId) {
  return send({ method: "DELETE", bucket, key, query: { uploadId } });
}

// Every uploaded part ({number, size, etag}) and the upload's abort schedule.
export async function listParts(bucket, key, uploadId) {
  const parts = [];
  let marker = "";
  let abortDate = null;
  let abortRule = "";
  for (;;) {
    const query = { uploadId, "max-parts": "1000" };
    if (marker) query["part-number-marker"] = marker;
    const resp = await send({ method: "GET", bucket, key, query });
    const date = resp.headers.get("x-amz-abort-date");
    if (date) abortDate = new Date(date);
    abortRule = resp.headers.get("x-amz-abort-rule-id") ?? abortRule;
    const root = parseXml(await resp.text());
    for (const p of children(root, "Part")) {
      parts.push({
        number: Number(childText(p, "PartNumber")),
        size: Number(childText(p, "Size")),
        etag: childText(p, "ETag").replace(/"/g, ""),
      });
    }
    if (childText(root, "IsTruncated") !== "true") break;
    marker = childText(root, "NextPartNumberMarker");
  }
  return { parts, abortDate, abortRule };
}

// One page of a bucket's incomplete multipart uploads.
export async function listMultipartUploads(bucket, { keyMarker = "", uploadIdMarker = "" } = {}) {
  const query = { uploads: "", "encoding-type": "url", "max-uploads": "100" };
  if (keyMarker) query["key-marker"] = keyMarker;
  if (uploadIdMarker) query["upload-id-marker"] = uploadIdMarker;
  const root = await sendXml({ method: "GET", bucket, query });
  const truncated = childText(root, "IsTruncated") === "true";
  return {
    uploads: children(root, "Upload").map((u) => ({
      key: urlDecoded(childText(u, "Key")),
      uploadId: childText(u, "UploadId"),
      initiated: new Date(childText(u, "Initiated")),
      storageClass: childText(u, "StorageClass", "STANDARD"),
    })),
    next: truncated
      ? { keyMarker: urlDecoded(childText(root, "NextKeyMarker")), uploadIdMarker: childText(root, "NextUploadIdMarker") }
      : null,
  };
}

// ---- bucket settings

// The rules a bucket setting's document holds, [] when the bucket has none (`missingCode`).
async function documentOrNone(request, missingCode, parse) {
  try {
    return parse(await sendXml(request));
  } catch (e) {
    if (e instanceof S3Error && e.code === missingCode) return [];
    throw e;
  }
}

// The bucket's CORS rules, [] when it has none.
export function getCors(bucket) {
  return documentOrNone({ method: "GET", bucket, query: { cors: "" } }, "NoSuchCORSConfiguration", (root) =>
    children(root, "CORSRule").map((r) => ({
      id: childText(r, "ID"),
      allowedOrigins: children(r, "AllowedOrigin").map((e) => e.textContent),
      allowedMethods: children(r, "AllowedMethod").map((e) => e.textContent),
      allowedHeaders: children(r, "AllowedHeader").map((e) => e.textContent),
      exposeHeaders: children(r, "ExposeHeader").map((e) => e.textContent),
      maxAgeSeconds: child(r, "MaxAgeSeconds") ? Number(childText(r, "MaxAgeSeconds")) : null,
    })),
  );
}

export function putCors(bucket, rules) {
  if (rules.length === 0) return send({ method: "DELETE", bucket, query: { cors: "" } });
  const { body, headers } = xmlBody(
    "CORSConfiguration",
    rules.map((r) =>
      element("CORSRule", [
        r.id ? element("ID", r.id) : null,
        ...r.allowedOrigins.map((o) => element("AllowedOrigin", o)),
        ...r.allowedMethods.map((m) => element("AllowedMethod", m)),
        ...r.allowedHeaders.map((h) => element("AllowedHeader", h)),
        ...r.exposeHeaders.map((h) => element("ExposeHeader", h)),
        r.maxAgeSeconds !== null && r.maxAgeSeconds !== "" ? element("MaxAgeSeconds", r.maxAgeSeconds) : null,
      ]),
    ),
  );
  return send({ method: "PUT", bucket, query: { cors: "" }, headers, body });
}

function days(node, path) {
  const parent = child(node, path);
  const d = parent && child(parent, "Days");
  return d ? Number(d.textContent) : null;
}

// The bucket's lifecycle rules, [] when it has none. Each rule: {id, prefix, enabled,
// abortDays, expirationDays, transitionDays}.
export function getLifecycle(bucket) {
  return documentOrNone({ method: "GET", bucket, query: { lifecycle: "" } }, "NoSuchLifecycleConfiguration", (root) =>
    children(root, "Rule").map((r) => {
      const filter = child(r, "Filter");
      const abort = child(r, "AbortIncompleteMultipartUpload");
      return {
        id: childText(r, "ID"),
        prefix: filter ? childText(filter, "Prefix") : childText(r, "Prefix"),
        enabled: childText(r, "Status") === "Enabled",
        abortDays: abort ? Number(childText(abort, "DaysAfterInitiation")) : null,
        expirationDays: days(r, "Expiration"),
        transitionDays: days(r, "Transition"),
      };
    }),
  );
}

export function putLifecycle(bucket, rules) {
  if (rules.length === 0) return send({ method: "DELETE", bucket, query: { lifecycle: "" } });
  const { body, headers } = xmlBody(
    "LifecycleConfiguration",
    rules.map((r) =>
      element("Rule", [
        element("ID", r.id),
        element("Filter", [element("Prefix", r.prefix ?? "")]),
        element("Status", r.enabled ? "Enabled" : "Disabled"),
        r.expirationDays ? element("Expiration", [element("Days", r.expirationDays)]) : null,
        r.transitionDays
          ? element("Transition", [element("Days", r.transitionDays), element("StorageClass", "STANDARD_IA")])
          : null,
        r.abortDays ? element("AbortIncompleteMultipartUpload", [element("DaysAfterInitiation", r.abortDays)]) : null,
      ]),
    ),
  );
  return send({ method: "PUT", bucket, query: { lifecycle: "" }, headers, body });
}
