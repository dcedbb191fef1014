// A bucket's CORS rules (Put/Get/DeleteBucketCors), edited as a list of rules. Browsers uploading
// with presigned URLs from a web app need a rule for its origin; multipart uploads also need
// ExposeHeaders ETag, or the browser cannot read a part's ETag to complete the upload.
import { Plus, Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { ErrorBox, errorText, Loading } from "./States.jsx";
import { toast } from "./Toasts.jsx";

const METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"];
const lines = (text) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

function toForm(rule) {
  return {
    id: rule.id,
    origins: rule.allowedOrigins.join("\n"),
    methods: rule.allowedMethods,
    headers: rule.allowedHeaders.join("\n"),
    expose: rule.exposeHeaders.join("\n"),
    maxAge: rule.maxAgeSeconds ?? "",
  };
}

function fromForm(form) {
  return {
    id: form.id.trim(),
    allowedOrigins: lines(form.origins),
    allowedMethods: form.methods,
    allowedHeaders: lines(form.headers),
    exposeHeaders: lines(form.expose),
    maxAgeSeconds: form.maxAge === "" ? null : Number(form.maxAge),
  };
}

const BROWSER_UPLOADS = { id: "browser-uploads", origins: "https://app.example.com", methods: ["GET", "PUT", "POST", "HEAD"], headers: "*", expose: "ETag", maxAge: 3600 };

function RuleForm({ rule, index, onChange, onRemove }) {
  const set = (field) => (e) => onChange({ ...rule, [field]: e.currentTarget.value });
  const toggleMethod = (m) => onChange({ ...rule, methods: rule.methods.includes(m) ? rule.methods.filter((x) => x !== m) : [...rule.methods, m] });
  const n = index + 1;
  return (
    <fieldset class="rule">
      <legend>Rule {n}</legend>
      <div class="rule-grid">
        <label class="field">
          <span>ID (optional)</span>
          <input value={rule.id} onInput={set("id")} />
        </label>
        <label class="field">
          <span>Max age (seconds)</span>
          <input type="number" min="0" value={rule.maxAge} onInput={set("maxAge")} />
        </label>
        <label class="field">
          <span>Allowed origins, one per line (* wildcards)</span>
          <textarea rows={2} value={rule.origins} onInput={set("origins")} spellcheck={false} />
        </label>
        <fieldset class="field methods">
          <legend>Allowed methods</legend>
          {METHODS.map((m) => (
            <label key={m} class="check">
              <input type="checkbox" checked={rule.methods.includes(m)} onChange={() => toggleMethod(m)} />
              {m}
            </label>
          ))}
        </fieldset>
        <label class="field">
          <span>Allowed headers, one per line</span>
          <textarea rows={2} value={rule.headers} onInput={set("headers")} spellcheck={false} />
        </label>
        <label class="field">
          <span>Expose headers, one per line</span>
          <textarea rows={2} value={rule.expose} onInput={set("expose")} spellcheck={false} />
        </label>
      </div>
      <button type="button" class="button button-small button-danger-quiet" onClick={onRemove}>
        <Trash2 size={14} aria-hidden="true" />
        <span>Remove rule {n}</span>
      </button>
    </fieldset>
  );
}

export function CorsSettings({ bucket }) {
  const [rules, setRules] = useState(null);
  const [error, setError] = useState(null);
  const [saveError, setSaveError] = useState("");
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    setRules(null);
    setError(null);
    s3.getCors(bucket).then((r) => setRules(r.map(toForm)), setError);
  }, [bucket, reloads]);

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setSaveError("");
    try {
      await s3.putCors(bucket, rules.map(fromForm));
      toast(rules.length ? "CORS rules saved" : "CORS rules removed");
      setReloads((n) => n + 1);
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card settings-card" onSubmit={save} aria-labelledby="cors-title">
      <h2 id="cors-title">CORS</h2>
      <p class="muted">
        Which web pages of other origins may use this bucket from a browser, for example to upload with presigned URLs. Multipart uploads from a browser need <code>ETag</code> among the exposed headers.
      </p>
      {error && <ErrorBox error={error} />}
      {!rules && !error && <Loading />}
      {rules && (
        <div class="stack">
          {rules.length === 0 && <p class="muted">No CORS rules: browsers on other origins cannot use this bucket.</p>}
          {rules.map((rule, i) => (
            <RuleForm key={i} rule={rule} index={i} onChange={(r) => setRules(rules.map((x, j) => (j === i ? r : x)))} onRemove={() => setRules(rules.filter((_, j) => j !== i))} />
          ))}
          <div class="toolbar toolbar-wrap">
            <div class="toolbar">
              <button type="button" class="button" onClick={() => setRules([...rules, { id: "", origins: "", methods: ["GET"], headers: "", expose: "", maxAge: "" }])}>
                <Plus size={16} aria-hidden="true" />
                <span>Add rule</span>
              </button>
              <button type="button" class="button" onClick={() => setRules([...rules, { ...BROWSER_UPLOADS }])}>
                <Plus size={16} aria-hidden="true" />
                <span>Add a rule for browser uploads</span>
              </button>
            </div>
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? "Saving…" : "Save CORS rules"}
            </button>
          </div>
          {saveError && (
            <p class="form-error" role="alert">
              {saveError}
            </p>
          )}
        </div>
      )}
    </form>
  );
}
