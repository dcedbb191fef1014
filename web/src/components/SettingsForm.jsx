// The frame shared by a bucket's settings that are lists of rules (lifecycle, CORS): the setting
// is loaded, edited in place, and saved as a whole; each rule is a fieldset that can be removed.
import { Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import { useAccess } from "../lib/access.js";
import { errorText, Pending } from "./States.jsx";
import { toast } from "./Toasts.jsx";

export const replaceAt = (list, i, item) => list.map((x, j) => (j === i ? item : x));
export const removeAt = (list, i) => list.filter((_, j) => j !== i);

// `load(bucket)` resolves with the setting; `save(bucket, value)` stores it and resolves with the
// confirmation to show. After a save the setting is loaded again, as the server now has it.
// `validate(value)` returns why the value cannot be saved, or null; `tried` tells the form that a
// save was asked for, so that it shows its fields' problems from then on.
export function useBucketSetting(bucket, load, save, validate = () => null) {
  const [value, setValue] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState("");
  const [reloads, setReloads] = useState(0);
  const [tried, setTried] = useState(false);
  useEffect(() => {
    setValue(null);
    setError(null);
    setTried(false);
    load(bucket).then(setValue, setError);
  }, [bucket, reloads]);
  const submit = async (e) => {
    e.preventDefault();
    setTried(true);
    const problem = validate(value);
    setSaveError(problem ?? "");
    if (problem) return;
    setBusy(true);
    try {
      toast(await save(bucket, value));
      setReloads((n) => n + 1);
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { value, setValue, error, busy, saveError, submit, tried };
}

// Keys that may read but not change bucket settings (admin-ro) see the rules without the buttons.
export function SettingsForm({ id, title, intro, setting, saveLabel, extraActions, children }) {
  const { changeBucketSettings } = useAccess();
  return (
    <form class="card settings-card" onSubmit={setting.submit} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro && <p class="muted">{intro}</p>}
      <Pending value={setting.value} error={setting.error} />
      {setting.value && (
        <div class="stack">
          {children}
          {changeBucketSettings && (
          <div class="toolbar toolbar-wrap">
            <div class="toolbar">{extraActions}</div>
            <button type="submit" class="button button-primary" disabled={setting.busy}>
              {setting.busy ? "Saving…" : saveLabel}
            </button>
          </div>
          )}
          {setting.saveError && (
            <p class="form-error" role="alert">
              {setting.saveError}
            </p>
          )}
        </div>
      )}
    </form>
  );
}

export function RuleFieldset({ index, onRemove, children }) {
  const n = index + 1;
  return (
    <fieldset class="rule">
      <legend>Rule {n}</legend>
      <div class="rule-grid">{children}</div>
      <button type="button" class="button button-small button-danger-quiet" onClick={onRemove}>
        <Trash2 size={14} aria-hidden="true" />
        <span>Remove rule {n}</span>
      </button>
    </fieldset>
  );
}
