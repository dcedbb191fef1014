// Each bucket's figures ({objectCount, bytes}: counters the server keeps, GET
// /_cairn/admin/buckets/B), shared by what shows them: the bucket page's header and the object
// browser's total. Whoever reads them again (a refresh, an upload, a delete) updates every view.
import { useEffect, useState } from "preact/hooks";
import * as admin from "../api/admin.js";

const latest = new Map();
const listeners = new Set();

// Reads a bucket's figures and tells the views; resolves to them, or null when they cannot be
// read (a key that is not an admin's).
export async function readBucketFigures(bucket) {
  const info = await admin.bucketInfo(bucket);
  if (!info) return null;
  latest.set(bucket, info);
  for (const listener of listeners) listener(bucket, info);
  return info;
}

// The last figures read for `bucket`, or null until some are.
export function useBucketFigures(bucket) {
  const [info, setInfo] = useState(latest.get(bucket) ?? null);
  useEffect(() => {
    setInfo(latest.get(bucket) ?? null);
    const listener = (b, figures) => b === bucket && setInfo(figures);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, [bucket]);
  return info;
}

// "1,234 objects · 5.6 MiB" for people; `formatBytes` from format.js.
export function describeFigures({ objectCount, bytes }, formatBytes) {
  const count = Number(objectCount).toLocaleString("en-US");
  return `${count} ${objectCount === 1 ? "object" : "objects"} · ${formatBytes(bytes)}`;
}
