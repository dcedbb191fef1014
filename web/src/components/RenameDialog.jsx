// Renames or moves an object: the field holds its whole key, so moving it into another folder is
// editing the path. lib/rename.js does the work; this says what happened, and when the object
// changed after it was copied, that both keys now hold an object and why.
import { useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { renameProblem } from "../lib/names.js";
import { renameObject, RenameRefused } from "../lib/rename.js";
import { Dialog } from "./Dialog.jsx";
import { errorText } from "./States.jsx";
import { toast } from "./Toasts.jsx";

export function RenameDialog({ bucket, objectKey, etag, onClose, onRenamed }) {
  const [key, setKey] = useState(objectKey);
  const [problem, setProblem] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [bothKept, setBothKept] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    const found = renameProblem(objectKey, key);
    setProblem(found ?? "");
    setError("");
    if (found) return;
    setBusy(true);
    try {
      const { oldKept } = await renameObject(s3, bucket, objectKey, key, etag);
      if (oldKept) {
        setBothKept(true);
      } else {
        toast(`Renamed ${objectKey} to ${key}`);
        onRenamed(key);
      }
    } catch (err) {
      if (err instanceof RenameRefused && err.where === "key") setProblem(err.message);
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (bothKept) {
    return (
      <Dialog
        key="both-kept"
        title="Copied, not moved"
        labelId="rename-title"
        onClose={() => onRenamed(key)}
        actions={<button type="button" class="button button-primary" onClick={() => onRenamed(key)}>Done</button>}
      >
        <p role="alert">
          <code>{objectKey}</code> was copied to <code>{key}</code>, but it changed after the copy was made (someone wrote to it), so it
          was not deleted. Both keys now hold an object: <code>{key}</code> the version you renamed, <code>{objectKey}</code> the newer one.
        </p>
      </Dialog>
    );
  }
  return (
    <Dialog title="Rename or move" labelId="rename-title" onClose={onClose}>
      <form class="stack" onSubmit={submit} aria-label="Rename or move">
        <label class="field">
          <span>New key</span>
          <input
            value={key}
            onInput={(e) => {
              setKey(e.currentTarget.value);
              setProblem("");
            }}
            aria-invalid={problem ? "true" : undefined}
            aria-describedby="rename-help"
            spellcheck={false}
            autoFocus
          />
          {problem && <span class="field-error">{problem}</span>}
        </label>
        <p id="rename-help" class="muted small">
          The whole key: change the folders in it to move the object. The object is copied to the new key with its metadata, then the old key
          is deleted.
        </p>
        {error && <p class="form-error" role="alert">{error}</p>}
        <div class="toolbar">
          <button type="button" class="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="button button-primary" disabled={busy}>{busy ? "Renaming…" : "Rename"}</button>
        </div>
      </form>
    </Dialog>
  );
}
