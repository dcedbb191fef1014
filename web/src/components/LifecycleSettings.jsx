// A bucket's lifecycle rules (Put/Get/DeleteBucketLifecycleConfiguration). First the setting most
// people want: after how many days incomplete multipart uploads are aborted (R2's default is 7);
// then per-prefix rules that also expire objects or move them to Infrequent Access.
import { Plus } from "lucide-preact";
import * as s3 from "../api/s3.js";
import { RuleFieldset, SettingsForm, removeAt, replaceAt, useBucketSetting } from "./SettingsForm.jsx";

export const DEFAULT_ABORT_DAYS = 7;
const BUCKET_ABORT_RULE_ID = "abort-incomplete-multipart-uploads";

const isBucketAbortRule = (r) => r.prefix === "" && r.enabled && r.abortDays && !r.expirationDays && !r.transitionDays;
const daysOrNull = (text) => (text === "" || text === null ? null : Number(text));

// The setting as edited: {abortDays, rules}, the whole-bucket abort rule apart from the others.
async function load(bucket) {
  const all = await s3.getLifecycle(bucket);
  const bucketRule = all.find(isBucketAbortRule);
  return { abortDays: bucketRule ? bucketRule.abortDays : DEFAULT_ABORT_DAYS, rules: all.filter((r) => r !== bucketRule) };
}

async function save(bucket, { abortDays, rules }) {
  const bucketRule = abortDays && abortDays !== DEFAULT_ABORT_DAYS
    ? [{ id: BUCKET_ABORT_RULE_ID, prefix: "", enabled: true, abortDays, expirationDays: null, transitionDays: null }]
    : [];
  await s3.putLifecycle(bucket, [...bucketRule, ...rules]);
  return "Lifecycle rules saved";
}

function DaysField({ label, value, onChange }) {
  return (
    <label class="field">
      <span>{label}</span>
      <input type="number" min="1" value={value ?? ""} onInput={(e) => onChange(daysOrNull(e.currentTarget.value))} placeholder="–" />
    </label>
  );
}

function LifecycleRule({ rule, index, onChange, onRemove }) {
  const set = (field) => (value) => onChange({ ...rule, [field]: value });
  return (
    <RuleFieldset index={index} onRemove={onRemove}>
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
    </RuleFieldset>
  );
}

export function LifecycleSettings({ bucket }) {
  const setting = useBucketSetting(bucket, load, save);
  const doc = setting.value;
  const setRules = (rules) => setting.setValue({ ...doc, rules });
  return (
    <SettingsForm
      id="lifecycle-title"
      title="Lifecycle"
      setting={setting}
      saveLabel="Save lifecycle rules"
      extraActions={
        <button type="button" class="button" onClick={() => setRules([...doc.rules, { id: `rule-${doc.rules.length + 1}`, prefix: "", enabled: true, abortDays: null, expirationDays: 30, transitionDays: null }])}>
          <Plus size={16} aria-hidden="true" />
          <span>Add rule</span>
        </button>
      }
    >
      {doc && (
        <>
          <div class="abort-setting">
            <label class="field field-inline">
              <span>Abort incomplete multipart uploads after</span>
              <input type="number" min="1" value={doc.abortDays ?? ""} onInput={(e) => setting.setValue({ ...doc, abortDays: daysOrNull(e.currentTarget.value) })} aria-describedby="abort-help" data-testid="abort-days" />
              <span>days</span>
            </label>
            <p id="abort-help" class="muted small">
              Applies to the whole bucket. {DEFAULT_ABORT_DAYS} days is the default; a rule below with a shorter time wins for its prefix.
            </p>
          </div>
          <h3>Rules</h3>
          {doc.rules.length === 0 && <p class="muted">No other rules.</p>}
          {doc.rules.map((rule, i) => (
            <LifecycleRule key={i} rule={rule} index={i} onChange={(r) => setRules(replaceAt(doc.rules, i, r))} onRemove={() => setRules(removeAt(doc.rules, i))} />
          ))}
        </>
      )}
    </SettingsForm>
  );
}
