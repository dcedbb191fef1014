// A bucket's CORS rules (Put/Get/DeleteBucketCors), edited as a list of rules. Browsers uploading
// with presigned URLs from a web app need a rule for its origin; multipart uploads also need
// ExposeHeaders ETag, or the browser cannot read a part's ETag to complete the upload.
import { Plus } from "lucide-preact";
import * as s3 from "../api/s3.js";
import { corsRuleProblems, corsRulesProblem, lines } from "../lib/corsRules.js";
import { RuleFieldset, SettingsForm, removeAt, replaceAt, useBucketSetting } from "./SettingsForm.jsx";

const METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"];

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
// The app's origin is the user's to fill in: the form only suggests one (a placeholder).
const BROWSER_UPLOADS = { id: "browser-uploads", origins: "", methods: ["GET", "PUT", "POST", "HEAD"], headers: "*", expose: "ETag", maxAge: 3600 };

const load = async (bucket) => (await s3.getCors(bucket)).map(toForm);
const save = async (bucket, rules) => {
  try {
    await s3.putCors(bucket, rules.map(fromForm));
  } catch (error) {
    // The server's checks outran the form's: its message names the rule (src/core/cors.cc).
    throw new Error(`Not saved. The server refused the rules: ${error.message}`);
  }
  return rules.length ? "CORS rules saved" : "CORS rules removed";
};

// A field of a rule with its label and, once a save was tried, its problem under it (the input's
// description for screen readers). render(attributes) gives the input.
function RuleField({ id, label, problem, render }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {render({ id, "aria-invalid": problem ? "true" : "false", "aria-describedby": problem ? `${id}-problem` : undefined })}
      {problem && (
        <span id={`${id}-problem`} class="field-error small">
          {problem}
        </span>
      )}
    </div>
  );
}

function CorsRule({ rule, index, showProblems, onChange, onRemove }) {
  const set = (field) => (e) => onChange({ ...rule, [field]: e.currentTarget.value });
  const problems = showProblems ? corsRuleProblems(rule) : {};
  const id = (field) => `cors-${index}-${field}`;
  const toggleMethod = (m) => onChange({ ...rule, methods: rule.methods.includes(m) ? rule.methods.filter((x) => x !== m) : [...rule.methods, m] });
  return (
    <RuleFieldset index={index} onRemove={onRemove}>
      <RuleField id={id("id")} label="ID (optional)" problem={problems.id} render={(a) => <input value={rule.id} onInput={set("id")} {...a} />} />
      <RuleField
        id={id("max-age")}
        label="Max age (seconds)"
        problem={problems.maxAge}
        render={(a) => <input type="number" min="0" value={rule.maxAge} onInput={set("maxAge")} {...a} />}
      />
      <RuleField
        id={id("origins")}
        label="Allowed origins, one per line (* wildcards)"
        problem={problems.origins}
        render={(a) => <textarea rows={2} value={rule.origins} onInput={set("origins")} spellcheck={false} placeholder="https://app.example.com" {...a} />}
      />
      <fieldset class="field methods" aria-describedby={problems.methods ? id("methods-problem") : undefined}>
        <legend>Allowed methods</legend>
        {METHODS.map((m) => (
          <label key={m} class="check">
            <input type="checkbox" checked={rule.methods.includes(m)} onChange={() => toggleMethod(m)} />
            {m}
          </label>
        ))}
        {problems.methods && (
          <span id={id("methods-problem")} class="field-error small">
            {problems.methods}
          </span>
        )}
      </fieldset>
      <RuleField
        id={id("headers")}
        label="Allowed headers, one per line"
        problem={problems.headers}
        render={(a) => <textarea rows={2} value={rule.headers} onInput={set("headers")} spellcheck={false} {...a} />}
      />
      <RuleField id={id("expose")} label="Expose headers, one per line" render={(a) => <textarea rows={2} value={rule.expose} onInput={set("expose")} spellcheck={false} {...a} />} />
    </RuleFieldset>
  );
}

export function CorsSettings({ bucket }) {
  const setting = useBucketSetting(bucket, load, save, corsRulesProblem);
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
        <CorsRule key={i} rule={rule} index={i} showProblems={setting.tried} onChange={(r) => setting.setValue(replaceAt(rules, i, r))} onRemove={() => setting.setValue(removeAt(rules, i))} />
      ))}
    </SettingsForm>
  );
}
