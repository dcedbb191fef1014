// Creating a folder in the folder shown: a zero-byte object named `prefix + name + "/"`, as S3
// consoles make them. The name is checked at the field as it is typed, and a folder that already
// exists is said so there instead of being written over.
import { useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { folderNameProblem } from "../lib/names.js";
import { Dialog, FormActions, NameField } from "./Dialog.jsx";
import { errorText } from "./States.jsx";
import { toast } from "./Toasts.jsx";

export function CreateFolderDialog({ bucket, prefix, onClose, onCreated }) {
  const [name, setName] = useState("");
  const [touched, setTouched] = useState(false);
  const [existing, setExisting] = useState(null);  // a name found to be taken
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const problem = folderNameProblem(name, prefix) ?? (existing === name ? `A folder named ${name} already exists here.` : null);
  const shownProblem = touched || name ? problem : null;

  const submit = async (e) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    const folder = `${prefix}${name}/`;
    setBusy(true);
    setError("");
    try {
      if (await s3.anyObjectUnder(bucket, folder)) {
        setExisting(name);
      } else {
        await s3.putEmptyObject(bucket, folder);
        toast(`Folder ${name} created`);
        onCreated(folder);
        return;
      }
    } catch (err) {
      setError(errorText(err));
    }
    setBusy(false);
  };

  return (
    <Dialog title="Create folder" onClose={onClose}>
      <form onSubmit={submit} class="stack" noValidate>
        <NameField
          id="folder-name-help"
          label="Folder name"
          value={name}
          onInput={setName}
          problem={shownProblem}
          help={
            <>
              Created in <code class="object-name">{`${bucket}/${prefix}`}</code>. Anything but “/”.
            </>
          }
          placeholder="reports"
        />
        <FormActions error={error} submitLabel="Create folder" busyLabel="Creating…" busy={busy} disabled={!!shownProblem} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
