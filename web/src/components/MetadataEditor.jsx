// Edits an object's HTTP and custom metadata in its details: the fields as the object has them,
// saved with one CopyObject onto itself (s3.replaceMetadata) that applies only if the object is
// still the version that was read.
import { Plus, X } from "lucide-preact";
import { useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { metadataProblems } from "../lib/metadataForm.js";
import { errorText } from "./States.jsx";

const LABELS = {
  contentType: "Content-Type",
  cacheControl: "Cache-Control",
  contentDisposition: "Content-Disposition",
  contentEncoding: "Content-Encoding",
  contentLanguage: "Content-Language",
  expires: "Expires",
};

export function MetadataEditor({ bucket, objectKey, info, onSaved, onCancel }) {
  const [http, setHttp] = useState(Object.fromEntries(s3.HTTP_METADATA.map(([field]) => [field, info[field] ?? ""])));
  const [custom, setCustom] = useState(info.metadata.map(([name, value]) => [name, value]));
  const [problems, setProblems] = useState([]);
  const [error, setError] = useState("");
  const [saving, setSaving] = useState(false);
  const problemAt = (where) => problems.find((p) => p.where === where)?.message;
  const setRow = (i, column, value) => setCustom(custom.map((row, j) => (j === i ? (column === 0 ? [value, row[1]] : [row[0], value]) : row)));

  const save = async (e) => {
    e.preventDefault();
    const found = metadataProblems(http, custom);
    setProblems(found);
    if (found.length) return;
    setSaving(true);
    setError("");
    try {
      await s3.replaceMetadata(bucket, objectKey, { etag: info.etag, storageClass: info.storageClass, http, custom });
      onSaved();
    } catch (err) {
      setError(err.code === "PreconditionFailed" ? "The object changed since these details were read: close them and open the object again to edit its current metadata." : errorText(err));
      setSaving(false);
    }
  };

  return (
    <form class="stack" onSubmit={save} aria-label="Edit metadata">
      <section>
        <h3>HTTP metadata</h3>
        <div class="metadata-grid">
          {s3.HTTP_METADATA.map(([field]) => (
            <label key={field} class="field">
              <span>{LABELS[field]}</span>
              <input value={http[field]} onInput={(e) => setHttp({ ...http, [field]: e.currentTarget.value })} aria-invalid={problemAt(field) ? "true" : undefined} spellcheck={false} />
              {problemAt(field) && <span class="field-error">{problemAt(field)}</span>}
            </label>
          ))}
        </div>
      </section>
      <section>
        <h3>Custom metadata</h3>
        {custom.map(([name, value], i) => (
          <fieldset key={i} class="metadata-row">
            <legend class="visually-hidden">Custom metadata {i + 1}</legend>
            <label class="field">
              <span>Name</span>
              <input value={name} onInput={(e) => setRow(i, 0, e.currentTarget.value)} aria-invalid={problemAt(`custom-${i}`) ? "true" : undefined} spellcheck={false} />
            </label>
            <label class="field">
              <span>Value</span>
              <input value={value} onInput={(e) => setRow(i, 1, e.currentTarget.value)} spellcheck={false} />
            </label>
            <button type="button" class="icon-button" aria-label={`Remove ${name || `custom metadata ${i + 1}`}`} onClick={() => setCustom(custom.filter((_, j) => j !== i))}>
              <X size={16} aria-hidden="true" />
            </button>
            {problemAt(`custom-${i}`) && <span class="field-error">{problemAt(`custom-${i}`)}</span>}
          </fieldset>
        ))}
        <button type="button" class="button" onClick={() => setCustom([...custom, ["", ""]])}>
          <Plus size={16} aria-hidden="true" />
          <span>Add custom metadata</span>
        </button>
      </section>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="toolbar">
        <button type="button" class="button" onClick={onCancel}>Cancel</button>
        <button type="submit" class="button button-primary" disabled={saving}>{saving ? "Saving…" : "Save metadata"}</button>
      </div>
    </form>
  );
}
