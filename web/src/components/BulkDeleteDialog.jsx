// The one dialog for deleting many objects (lib/bulkDelete.js): a folder with everything under it,
// a selection that holds folders, or a whole bucket's objects and incomplete uploads. It asks
// first (naming what goes, and for the most destructive runs asking for a name to be typed), then
// shows the progress with a Cancel that stops after the request under way, and ends saying what
// was deleted, what was not and why.
import { useEffect, useRef, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { bulkDelete, completed, progressText } from "../lib/bulkDelete.js";
import { LIST_MAX } from "../lib/listing.js";
import { namedKeys } from "../lib/selection.js";
import { Dialog, FormActions } from "./Dialog.jsx";
import { errorText } from "./States.jsx";

// The S3 requests of a run in `bucket`. `onUploadAborted(uploadId)` tells the upload tray.
function s3Io(bucket, onUploadAborted) {
  return {
    list: async ({ prefix, startAfter }) => {
      const page = await s3.listObjects(bucket, { prefix, delimiter: "", startAfter, maxKeys: LIST_MAX });
      return { keys: page.objects.map((o) => o.key), truncated: page.truncated };
    },
    deleteBatch: (keys) => s3.deleteObjects(bucket, keys),
    listUploads: (marker) => s3.listMultipartUploads(bucket, marker ?? {}),
    abortUpload: async ({ key, uploadId }) => {
      try {
        await s3.abortMultipartUpload(bucket, key, uploadId);
      } catch (error) {
        if (error.code !== "NoSuchUpload") throw error;  // gone meanwhile: what was wanted
      }
      onUploadAborted(uploadId);
    },
  };
}

// A run's progress in state, and its cancel. run(targets) resolves with the last progress.
export function useBulkDelete(bucket, onUploadAborted = () => {}) {
  const [progress, setProgress] = useState(null);
  const [cancelling, setCancelling] = useState(false);
  const cancelled = useRef(false);
  const run = (targets) => {
    cancelled.current = false;
    setCancelling(false);
    return bulkDelete(s3Io(bucket, onUploadAborted), targets, { report: setProgress, cancelled: () => cancelled.current });
  };
  const cancel = () => {
    cancelled.current = true;
    setCancelling(true);
  };
  return { progress, cancelling, run, cancel };
}

function Failures({ failed }) {
  const { shown, more } = namedKeys(failed, 10);
  return (
    <ul class="delete-keys" data-testid="delete-failures">
      {shown.map(({ key, message }) => (
        <li key={key}>
          <code>{key}</code>: {message}
        </li>
      ))}
      {more > 0 && <li class="muted">and {more.toLocaleString("en-US")} more</li>}
    </ul>
  );
}

// `targets`: what bulkDelete deletes. `message`: what the confirmation says goes. `typeToConfirm`:
// a name the user types before the action is allowed. `onClose(progress)` gets the run's last
// progress, null when nothing ran.
export function BulkDeleteDialog({ bucket, title, message, targets, confirmLabel, typeToConfirm = "", onUploadAborted, onClose }) {
  const { progress, cancelling, run, cancel } = useBulkDelete(bucket, onUploadAborted);
  const [typed, setTyped] = useState("");
  const running = progress !== null && progress.phase !== "done";
  // The button of each stage takes the focus: the one that was pressed is gone.
  const action = useRef(null);
  useEffect(() => action.current?.focus(), [progress === null, running]);
  const close = () => (running ? cancel() : onClose(progress));

  const ready = !typeToConfirm || typed === typeToConfirm;
  const start = (e) => {
    e.preventDefault();
    if (ready) run(targets);
  };

  if (progress === null) {
    return (
      <Dialog title={title} onClose={close}>
        <form onSubmit={start} class="stack">
          <div>{message}</div>
          {typeToConfirm && (
            <label class="field">
              <span>
                Type <code>{typeToConfirm}</code> to confirm
              </span>
              <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoFocus spellcheck={false} autoComplete="off" />
            </label>
          )}
          <FormActions submitLabel={confirmLabel} danger disabled={!ready} onCancel={close} />
        </form>
      </Dialog>
    );
  }

  const processed = progress.deleted + progress.failed.length;
  const aborting = progress.phase === "aborting";
  return (
    <Dialog
      title={title}
      onClose={close}
      actions={
        running ? (
          <button ref={action} type="button" class="button" onClick={cancel} disabled={cancelling}>
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        ) : (
          <button ref={action} type="button" class="button button-primary" onClick={close}>
            Done
          </button>
        )
      }
    >
      <div class="stack delete-progress" data-testid="delete-progress" data-phase={progress.phase}>
        {running && (
          <progress
            max={aborting ? progress.uploadsFound || 1 : progress.found || 1}
            value={aborting ? progress.uploadsAborted : progress.phase === "deleting" ? processed : undefined}
            aria-label="Deletion progress"
          />
        )}
        <p role="status" data-testid="delete-progress-text" class={running || completed(progress) ? "" : "notice"}>
          {progressText(progress)}
        </p>
        {progress.failed.length > 0 && <Failures failed={progress.failed} />}
        {progress.error && (
          <p class="form-error" role="alert">
            Stopped: {errorText(progress.error)}
          </p>
        )}
      </div>
    </Dialog>
  );
}
