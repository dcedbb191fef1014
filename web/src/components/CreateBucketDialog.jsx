// Creating a bucket: its name is checked against the naming rules as it is typed, and a name that
// is already used is said so next to the field, in words rather than S3's.
import { useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { bucketNameProblem } from "../lib/names.js";
import { Dialog, FormActions, NameField } from "./Dialog.jsx";
import { toast } from "./Toasts.jsx";
import { errorText } from "./States.jsx";

// What S3's refusal says about the name, or null when it is about something else.
function nameInUse(error, name) {
  if (error.code === "BucketAlreadyOwnedByYou") return `You already own a bucket named ${name}.`;
  if (error.code === "BucketAlreadyExists") return `The name ${name} is taken. Choose another one.`;
  return null;
}

export function CreateBucketDialog({ onClose, onCreated }) {
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [used, setUsed] = useState(null);  // {name, text}: the server's answer for that name
  const problem = name ? bucketNameProblem(name) ?? (used?.name === name ? used.text : null) : null;

  const submit = async (e) => {
    e.preventDefault();
    if (!name || problem) return;
    setBusy(true);
    setError("");
    try {
      await s3.createBucket(name);
      toast(`Bucket ${name} created`);
      onCreated(name);
    } catch (err) {
      const inUse = nameInUse(err, name);
      if (inUse) setUsed({ name, text: inUse });
      else setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="Create bucket" onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <NameField
          id="bucket-name-help"
          label="Bucket name"
          value={name}
          onInput={setName}
          problem={problem}
          help="3–63 characters: lowercase letters, numbers, dots and hyphens."
          placeholder="my-bucket"
        />
        <FormActions error={error} submitLabel="Create bucket" busyLabel="Creating…" busy={busy} disabled={!name || !!problem} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
