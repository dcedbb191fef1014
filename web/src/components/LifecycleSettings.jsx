// A bucket's lifecycle rules (Put/Get/DeleteBucketLifecycleConfiguration). First the setting most
// people want: after how many days incomplete multipart uploads are aborted (R2's default is 7);
// then per-prefix rules that also expire objects or move them to Infrequent Access.
import { Plus, Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as s3 from "../api/s3.js";
import { ErrorBox, errorText, Loading } from "./States.jsx";
import { toast } from "./Toasts.jsx";

export const DEFAULT_ABORT_DAYS = 7;
const BUCKET_ABORT_RULE_ID = "abort-incomplete-multipart-uploads";

const isBucketAbortRule = (r) => r.prefix === "" && r.enabled && r.abortDays && !r.expirationDays && !r.transitionDays;
const daysOrNull = (text) => (text === "" || text === null ? null : Number(text));

function DaysField({ label, value, onChange }) {
  return (
    <label class="field">
      <span>{label}</span>
      <input type="number" min="1" value={value ?? ""} onInput={(e) => onChange(daysOrNull(e.currentTarget.value))} placeholder="–" />
    </label>
  );
}

function RuleForm({ rule, index, onChange, onRemove }) {
  const set = (field) => (value) => onChange({ ...rule, [field]: value });
  const n = index + 1;
  return (
    <fieldset class="rule">
      <legend>Rule {n}</legend>
      <div class="rule-grid">
        <label class="field">
          <span>ID</span>
          <input value={rule.id} onInput={(e) => set("id")(e.currentTarget.value)} required />
        </label>
        <label class="field">
          <span>Key prefix (empty: the whole bucket)</span>
          <input value={rule.prefix} onInput={(e) => set("prefix")(e.currentTarget.value)} spellcheck={false} />
        </label>
        <DaysField label="Abort incomplete uploads after (days)" value={rule.abortDays} onChange={set("abortDays")} />
        <DaysField label="Delete objects after (days)" value={rule.expirationDays} onChange={set("expirationDays")} />
        <DaysField label="Move to Infrequent Access after (days)" value={rule.transitionDays} onChange={set("transitionDays")} />
        <label class="check">
          <input type="checkbox" checked={rule.enabled} onChange={(e) => set("enabled")(e.currentTarget.checked)} />
          Enabled
        </label>
      </div>
      <button type="button" class="button button-small button-danger-quiet" onClick={onRemove}>
        <Trash2 size={14} aria-hidden="true" />
        <span>Remove rule {n}</span>
      </button>
    </fieldset>
  );
}

export function LifecycleSettings({ bucket }) {
  const [rules, setRules] = useState(null);
  const [abortDays, setAbortDays] = useState(DEFAULT_ABORT_DAYS);
  const [error, setError] = useState(null);
  const [saveError, setSaveError] = useState("");
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    setRules(null);
    setError(null);
    s3.getLifecycle(bucket).then((all) => {
      const bucketRule = all.find(isBucketAbortRule);
      setAbortDays(bucketRule ? bucketRule.abortDays : DEFAULT_ABORT_DAYS);
      setRules(all.filter((r) => r !== bucketRule));
    }, setError);
  }, [bucket, reloads]);

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setSaveError("");
    try {
      const bucketRule = abortDays && abortDays !== DEFAULT_ABORT_DAYS
        ? [{ id: BUCKET_ABORT_RULE_ID, prefix: "", enabled: true, abortDays, expirationDays: null, transitionDays: null }]
        : [];
      await s3.putLifecycle(bucket, [...bucketRule, ...rules]);
      toast("Lifecycle rules saved");
      setReloads((n) => n + 1);
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card settings-card" onSubmit={save} aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">Lifecycle</h2>
      {error && <ErrorBox error={error} />}
      {!rules && !error && <Loading />}
      {rules && (
        <div class="stack">
          <div class="abort-setting">
            <label class="field field-inline">
              <span>Abort incomplete multipart uploads after</span>
              <input type="number" min="1" value={abortDays ?? ""} onInput={(e) => setAbortDays(daysOrNull(e.currentTarget.value))} aria-describedby="abort-help" data-testid="abort-days" />
              <span>days</span>
            </label>
            <p id="abort-help" class="muted small">
              Applies to the whole bucket. {DEFAULT_ABORT_DAYS} days is the default; a rule below with a shorter time wins for its prefix.
            </p>
          </div>
          <h3>Rules</h3>
          {rules.length === 0 && <p class="muted">No other rules.</p>}
          {rules.map((rule, i) => (
            <RuleForm key={i} rule={rule} index={i} onChange={(r) => setRules(rules.map((x, j) => (j === i ? r : x)))} onRemove={() => setRules(rules.filter((_, j) => j !== i))} />
          ))}
          <div class="toolbar toolbar-wrap">
            <button type="button" class="button" onClick={() => setRules([...rules, { id: `rule-${rules.length + 1}`, prefix: "", enabled: true, abortDays: null, expirationDays: 30, transitionDays: null }])}>
              <Plus size={16} aria-hidden="true" />
              <span>Add rule</span>
            </button>
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? "Saving…" : "Save lifecycle rules"}
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
