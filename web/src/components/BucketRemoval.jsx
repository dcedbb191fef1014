// The end of a bucket, in its settings: "Empty bucket" deletes every object and aborts every
// incomplete multipart upload (the bulk-delete dialog, after the bucket's name is typed), after
// which "Delete bucket" can remove it.
import { Eraser, Trash2 } from "lucide-preact";
import { useState } from "preact/hooks";
import { useAccess } from "../lib/access.js";
import { readBucketFigures } from "../lib/bucketFigures.js";
import { BulkDeleteDialog } from "./BulkDeleteDialog.jsx";
import { DeleteBucketDialog } from "./DeleteBucketDialog.jsx";

export function BucketRemoval({ bucket, manager }) {
  const access = useAccess();
  const [open, setOpen] = useState(null);  // "empty" or "delete"
  const close = () => setOpen(null);
  if (!access.writeObjects && !access.manageBuckets) return null;
  return (
    <section class="card settings-card" aria-labelledby="removal-title" data-testid="bucket-removal">
      <h2 id="removal-title">Empty or delete this bucket</h2>
      <p class="muted">A bucket can be deleted only once it holds no objects and no incomplete uploads. Emptying it deletes all of them for good.</p>
      <div class="toolbar toolbar-wrap">
        {access.writeObjects && (
          <button type="button" class="button button-danger-quiet" onClick={() => setOpen("empty")}>
            <Eraser size={16} aria-hidden="true" />
            <span>Empty bucket</span>
          </button>
        )}
        {access.manageBuckets && (
          <button type="button" class="button button-danger-quiet" onClick={() => setOpen("delete")}>
            <Trash2 size={16} aria-hidden="true" />
            <span>Delete bucket</span>
          </button>
        )}
      </div>
      {open === "empty" && (
        <BulkDeleteDialog
          bucket={bucket}
          title={`Empty bucket ${bucket}?`}
          message={
            <p>
              Every object in <code>{bucket}</code> will be deleted for good and its incomplete multipart uploads aborted. The bucket itself stays. This cannot be
              undone.
            </p>
          }
          targets={{ prefixes: [""], uploads: true }}
          typeToConfirm={bucket}
          confirmLabel="Empty bucket"
          onUploadAborted={(uploadId) => manager.aborted(uploadId)}
          onClose={(progress) => {
            close();
            if (progress) readBucketFigures(bucket);  // the page's header shows them
          }}
        />
      )}
      {open === "delete" && (
        <DeleteBucketDialog
          bucket={bucket}
          onClose={close}
          onDeleted={() => {
            location.hash = "#/";
          }}
        />
      )}
    </section>
  );
}
