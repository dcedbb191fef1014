// A bucket's CORS rules (Put/Get/DeleteBucketCors), edited as a list of rules. Browsers uploading
// with presigned URLs from a web app need a rule for its origin; multipart uploads also need
// ExposeHeaders ETag, or the browser cannot read a part's ETag to complete the upload.
import { Plus } from "lucide-preact";
import * as s3 from "../api/s3.js";
import { RuleFieldset, SettingsForm, removeAt, replaceAt, useBucketSetting } from "./SettingsForm.jsx";

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

const EMPTY_RULE = { id: "", origins: "", methods: ["GET"], headers: "", expose: "", maxAge: "" };
const BROWSER_UPLOADS = { id: "browser-uploads", origins: "https://app.example.com", methods: ["GET", "PUT", "POST", "HEAD"], headers: "*", expose: "ETag", maxAge: 3600 };

const load = async (bucket) => (await s3.getCors(bucket)).map(toForm);
const save = async (bucket, rules) => {
  await s3.putCors(bucket, rules.map(fromForm));
  return rules.length ? "CORS rules saved" : "CORS rules removed";
};

function CorsRule({ rule, index, onChange, onRemove }) {
  const set = (field) => (e) => onChange({ ...rule, [field]: e.currentTarget.value });
  const toggleMethod = (m) => onChange({ ...rule, methods: rule.methods.includes(m) ? rule.methods.filter((x) => x !== m) : [...rule.methods, m] });
  return (
    <RuleFieldset index={index} onRemove={onRemove}>
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
    </RuleFieldset>
  );
}

export function CorsSettings({ bucket }) {
  const setting = useBucketSetting(bucket, load, save);
  const rules = setting.value;
  const add = (rule) => setting.setValue([...rules, { ...rule }]);
  return (
    <SettingsForm
      id="cors-title"
      title="CORS"
      setting={setting}
      saveLabel="Save CORS rules"
      intro={
        <>
          Which web pages of other origins may use this bucket from a browser, for example to upload with presigned URLs. Multipart uploads from a browser need <code>ETag</code> among the exposed headers.
        </>
      }
      extraActions={
        <>
          <button type="button" class="button" onClick={() => add(EMPTY_RULE)}>
            <Plus size={16} aria-hidden="true" />
            <span>Add rule</span>
          </button>
          <button type="button" class="button" onClick={() => add(BROWSER_UPLOADS)}>
            <Plus size={16} aria-hidden="true" />
            <span>Add a rule for browser uploads</span>
          </button>
        </>
      }
    >
      {rules?.length === 0 && <p class="muted">No CORS rules: browsers on other origins cannot use this bucket.</p>}
      {rules?.map((rule, i) => (
        <CorsRule key={i} rule={rule} index={i} onChange={(r) => setting.setValue(replaceAt(rules, i, r))} onRemove={() => setting.setValue(removeAt(rules, i))} />
      ))}
    </SettingsForm>
  );
}
