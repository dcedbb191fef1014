// What the signed-in key may do, from its permission (docs/access-keys.md), so that the pages
// offer only that. The S3 API decides in the end; this only spares people buttons that would be
// refused. A key whose permission is unknown (whoami failed) gets every page but the Keys page.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export const PERMISSIONS = ["admin-rw", "admin-ro", "object-rw", "object-ro"];

// `key`: the answer of GET /_cairn/admin/whoami, or null. `s3Origin`: where objects are served.
export function accessOf(key, s3Origin = "") {
  const permission = PERMISSIONS.includes(key?.permission) ? key.permission : null;
  const admin = permission === "admin-rw" || permission === "admin-ro";
  const unknown = permission === null;
  return {
    permission,
    s3Origin,
    listBuckets: admin || unknown,
    manageBuckets: permission === "admin-rw" || unknown,
    readBucketSettings: admin || unknown,
    changeBucketSettings: permission === "admin-rw" || unknown,
    writeObjects: permission !== "admin-ro" && permission !== "object-ro",
    readKeys: admin,
    manageKeys: permission === "admin-rw",
    // An object key's scope: its buckets ([] for all) and key prefixes ([] for all).
    buckets: admin || unknown ? [] : key.buckets ?? [],
    prefixes: admin || unknown ? [] : key.prefixes ?? [],
  };
}

// Whether an object key limited to `prefixes` may list under `prefix`.
export function mayList(prefixes, prefix) {
  return prefixes.length === 0 || prefixes.some((p) => prefix.startsWith(p));
}

export const AccessContext = createContext(accessOf(null));

export function useAccess() {
  return useContext(AccessContext);
}

// Where anyone can read `key` of a public bucket: the S3 API's origin, path style.
export function publicObjectUrl(s3Origin, bucket, key) {
  return `${s3Origin}/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}
