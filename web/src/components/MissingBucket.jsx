// A bucket page for a bucket that does not exist (a stale link, a deleted bucket, a typo): it says
// so and leads back, instead of offering uploads into nothing.
import { Database } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { focusPageHeading } from "../lib/focus.js";

// Whether the server says the bucket does not exist; false while asking, and when it cannot tell.
export function useBucketMissing(bucket) {
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    let live = true;
    setMissing(false);
    s3.bucketExists(bucket).then((exists) => live && setMissing(!exists), () => {});
    return () => {
      live = false;
    };
  }, [bucket]);
  return missing;
}

export function MissingBucket({ bucket }) {
  // This page replaces the bucket page under the reader: keep their place at its heading.
  useEffect(() => {
    if (document.activeElement === document.body) focusPageHeading();
  }, []);
  return (
    <main class="page">
      <div class="empty card" data-testid="missing-bucket">
        <Database size={40} aria-hidden="true" />
        <h1>No bucket named {bucket}</h1>
        <p class="muted">It may have been deleted, or the address is mistyped.</p>
        <a class="button button-primary" href="#/">
          Back to the bucket list
        </a>
      </div>
    </main>
  );
}
