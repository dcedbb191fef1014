// Creating an access key: a name, a permission, for object keys the buckets and key prefixes it is
// limited to, and an expiry. The server checks everything again (docs/access-keys.md, Limits);
// the form only stops what is plainly incomplete.
import { useState } from "preact/hooks";
import * as admin from "../api/admin.js";
import { bucketNameProblem } from "../lib/names.js";
import { Dialog, FormActions } from "./Dialog.jsx";
import { errorText } from "./States.jsx";

const PERMISSION_TEXT = {
  "admin-rw": "Admin read & write: everything, keys included",
  "admin-ro": "Admin read only: read buckets, settings, objects and keys",
  "object-rw": "Object read & write: objects only",
  "object-ro": "Object read only: read and list objects",
};

const DAY = 24 * 3600;
const EXPIRIES = [
  ["", "Never"],
  [String(DAY), "1 day"],
  [String(7 * DAY), "7 days"],
  [String(30 * DAY), "30 days"],
  [String(90 * DAY), "90 days"],
  [String(365 * DAY), "1 year"],
];

const lines = (text) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export function CreateKeyDialog({ onClose, onCreated }) {
  const [form, setForm] = useState({ name: "", permission: "object-rw", buckets: "", prefixes: "", expires: "" });
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const set = (field) => (e) => setForm({ ...form, [field]: e.currentTarget.value });
  const objectKey = form.permission.startsWith("object-");
  const buckets = lines(form.buckets);
  const badBucket = objectKey && buckets.map((b) => bucketNameProblem(b) && `${b}: ${bucketNameProblem(b)}`).find(Boolean);

  const submit = async (e) => {
    e.preventDefault();
    if (!form.name.trim() || badBucket) return;
    setBusy(true);
    setError("");
    const spec = { name: form.name.trim(), permission: form.permission };
    if (objectKey) {
      spec.buckets = buckets;
      spec.prefixes = form.prefixes.split("\n").filter((p) => p !== "");
    }
    if (form.expires) spec.expiresInSeconds = Number(form.expires);
    try {
      onCreated(await admin.createKey(spec));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="Create access key" onClose={onClose} labelId="create-key-title">
      <form onSubmit={submit} class="stack">
        <label class="field">
          <span>Name</span>
          <input value={form.name} onInput={set("name")} required maxLength={128} autoFocus autoComplete="off" placeholder="photo-uploader" />
        </label>
        <label class="field">
          <span>Permission</span>
          <select value={form.permission} onChange={set("permission")}>
            {Object.entries(PERMISSION_TEXT).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        {objectKey && (
          <>
            <label class="field">
              <span>Buckets, one per line (none: every bucket)</span>
              <textarea rows={2} value={form.buckets} onInput={set("buckets")} spellcheck={false} aria-invalid={badBucket ? "true" : "false"} aria-describedby="key-buckets-help" />
            </label>
            <p id="key-buckets-help" class={badBucket ? "field-error" : "muted small"}>
              {badBucket || "The key can use only these buckets; they need not exist yet."}
            </p>
            <label class="field">
              <span>Key prefixes, one per line (none: every key)</span>
              <textarea rows={2} value={form.prefixes} onInput={set("prefixes")} spellcheck={false} placeholder="uploads/" />
            </label>
          </>
        )}
        <label class="field">
          <span>Expires</span>
          <select value={form.expires} onChange={set("expires")}>
            {EXPIRIES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <FormActions error={error} submitLabel="Create key" busyLabel="Creating…" busy={busy} disabled={!form.name.trim() || !!badBucket} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
