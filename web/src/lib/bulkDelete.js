// Deleting many objects at once: chosen keys, every key under some prefixes (a folder, or "" for a
// whole bucket), and optionally the bucket's incomplete multipart uploads. The keys are listed
// first, so that progress can say "Deleted 1,000 of 2,500", then deleted in DeleteObjects batches
// of up to 1,000 keys. A cancel takes effect between requests: what was deleted stays deleted and
// the progress says how much that was. Keys S3 refused to delete are kept with its reason; a
// request that fails as a whole stops the run with its error.
//
// `io` is the S3 side, injected so that the logic runs without a browser:
//   list({prefix, startAfter}) -> {keys: [key], truncated}   (ListObjectsV2 without a delimiter)
//   deleteBatch(keys) -> [{key, message}]                        (DeleteObjects: its <Error>s)
//   listUploads(marker) -> {uploads: [{key, uploadId}], next}    (ListMultipartUploads, paged)
//   abortUpload(upload)                                          (AbortMultipartUpload)

export const DELETE_BATCH = 1000;  // the most keys DeleteObjects takes

// The state a run reports after each step. phase: "listing", "deleting", "aborting" or "done".
export const startProgress = () => ({
  phase: "listing",
  found: 0,  // keys listed so far; the total once deleting
  deleted: 0,
  failed: [],  // [{key, message}]
  uploadsFound: 0,
  uploadsAborted: 0,
  cancelled: false,
  error: null,  // the error that stopped the run
});

// Runs the deletion of `targets` ({keys, prefixes, uploads}). `report(progress)` gets a fresh
// object after each request; `cancelled()` is asked before each one. Resolves with the last
// progress, never rejects.
export async function bulkDelete(io, { keys = [], prefixes = [], uploads = false }, { report = () => {}, cancelled = () => false } = {}) {
  let progress = startProgress();
  const update = (change) => {
    progress = { ...progress, ...change };
    report(progress);
  };
  const stopped = () => {
    if (!cancelled()) return false;
    update({ cancelled: true, phase: "done" });
    return true;
  };
  try {
    const all = new Set(keys);
    update({ found: all.size });
    for (const prefix of prefixes) {
      let startAfter = "";
      for (;;) {
        if (stopped()) return progress;
        const page = await io.list({ prefix, startAfter });
        for (const key of page.keys) all.add(key);
        update({ found: all.size });
        if (!page.truncated || page.keys.length === 0) break;
        startAfter = page.keys.at(-1);
      }
    }

    const chosen = [...all];
    update({ phase: "deleting" });
    for (let i = 0; i < chosen.length; i += DELETE_BATCH) {
      if (stopped()) return progress;
      const batch = chosen.slice(i, i + DELETE_BATCH);
      const failed = await io.deleteBatch(batch);
      update({ deleted: progress.deleted + batch.length - failed.length, failed: [...progress.failed, ...failed] });
    }

    if (uploads) {
      update({ phase: "aborting" });
      const pending = [];
      for (let marker = null; ; ) {
        if (stopped()) return progress;
        const page = await io.listUploads(marker);
        pending.push(...page.uploads);
        update({ uploadsFound: pending.length });
        if (!page.next) break;
        marker = page.next;
      }
      for (const upload of pending) {
        if (stopped()) return progress;
        await io.abortUpload(upload);
        update({ uploadsAborted: progress.uploadsAborted + 1 });
      }
    }
    update({ phase: "done" });
  } catch (error) {
    update({ phase: "done", error });
  }
  return progress;
}

// Whether the run did all it was asked: nothing refused, not stopped.
export function completed(progress) {
  return progress.phase === "done" && !progress.cancelled && !progress.error && progress.failed.length === 0;
}

// What the progress says in words, as the dialog shows it.
export function progressText(progress) {
  const n = (count) => count.toLocaleString("en-US");
  const plural = (count, noun) => `${n(count)} ${noun}${count === 1 ? "" : "s"}`;
  switch (progress.phase) {
    case "listing":
      return `Listing… ${plural(progress.found, "object")} found`;
    case "deleting":
      return `Deleted ${n(progress.deleted)} of ${n(progress.found)}`;
    case "aborting":
      return `Aborted ${n(progress.uploadsAborted)} of ${plural(progress.uploadsFound, "incomplete upload")}`;
    default: {
      const { deleted, found, failed, uploadsAborted } = progress;
      if (progress.cancelled && deleted + failed.length + uploadsAborted === 0) return "Cancelled before anything was deleted.";
      const parts = [`${progress.cancelled ? "Cancelled after deleting" : "Deleted"} ${deleted === found ? plural(deleted, "object") : `${n(deleted)} of ${plural(found, "object")}`}.`];
      if (uploadsAborted) parts.push(`Aborted ${plural(uploadsAborted, "incomplete upload")}.`);
      if (failed.length) parts.push(`${plural(failed.length, "object")} could not be deleted.`);
      if (progress.cancelled && deleted + failed.length < found) parts.push("The rest were not touched.");
      return parts.join(" ");
    }
  }
}
