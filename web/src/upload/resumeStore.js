// Multipart uploads in progress, kept in this browser's IndexedDB so that after a reload (or a
// crash) the same upload can go on where it stopped: the record holds its upload id and what the
// file was; the parts already uploaded are found again with ListParts.
import { createStore, del, entries, set } from "idb-keyval";

const store = createStore("cairn-dashboard", "multipart-uploads");

// record: {uploadId, bucket, key, name, size, lastModified, type, partSize, partCount, startedAt}
export function saveUpload(record) {
  return set(record.uploadId, record, store);
}

export function forgetUpload(uploadId) {
  return del(uploadId, store);
}

export async function savedUploads() {
  return (await entries(store)).map(([, record]) => record);
}
