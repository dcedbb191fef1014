// A modal dialog on the native <dialog> element: it traps focus, closes with Escape and restores
// focus to where it was, so every dialog is keyboard accessible the same way.
import { useEffect, useRef, useState } from "preact/hooks";
import { errorText } from "./States.jsx";

export function Dialog({ title, onClose, children, actions, wide = false, labelId = "dialog-title" }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    dialog.showModal();
    const cancel = (e) => {
      e.preventDefault();
      onClose();
    };
    dialog.addEventListener("cancel", cancel);
    return () => {
      dialog.removeEventListener("cancel", cancel);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} class={`dialog${wide ? " dialog-wide" : ""}`} aria-labelledby={labelId}>
      <header class="dialog-header">
        <h2 id={labelId}>{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      <div class="dialog-body">{children}</div>
      {actions && <footer class="dialog-actions">{actions}</footer>}
    </dialog>
  );
}

// "Are you sure?" with the action's name on the button.
export function ConfirmDialog({ title, message, confirmLabel, danger = true, busy = false, error = "", onConfirm, onClose, disabled = false }) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" class={`button ${danger ? "button-danger" : "button-primary"}`} onClick={onConfirm} disabled={busy || disabled}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </>
      }
    >
      <div>{message}</div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

// An action that needs a confirmation: open(subject) shows the dialog that describe(subject)
// words ({title, message, confirmLabel}); confirming runs perform(subject) and shows its progress,
// and its error if it throws. Returns [the dialog to render or null, open].
export function useConfirmation(perform, describe) {
  const [state, setState] = useState(null);
  const close = () => setState(null);
  const confirm = async () => {
    setState({ ...state, busy: true, error: "" });
    try {
      await perform(state.subject);
      close();
    } catch (err) {
      setState({ ...state, busy: false, error: errorText(err) });
    }
  };
  const dialog = state && <ConfirmDialog {...describe(state.subject)} busy={state.busy} error={state.error} onConfirm={confirm} onClose={close} />;
  return [dialog, (subject) => setState({ subject, busy: false, error: "" })];
}

// The end of a dialog's form: the error of its last attempt, Cancel, and the submit button, which
// says when it is at work (`busyLabel`), red when `danger`.
export function FormActions({ error = "", submitLabel, busyLabel = "", busy = false, disabled = false, danger = false, onCancel }) {
  return (
    <>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class={`button ${danger ? "button-danger" : "button-primary"}`} disabled={busy || disabled}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </>
  );
}

// A name typed into a dialog's form, with the rule it breaks (`problem`) said under it as it is
// typed, and `help` there otherwise.
export function NameField({ id, label, value, onInput, problem, help, placeholder }) {
  return (
    <>
      <label class="field">
        <span>{label}</span>
        <input
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
          autoFocus
          spellcheck={false}
          autoComplete="off"
          aria-invalid={problem ? "true" : "false"}
          aria-describedby={id}
          placeholder={placeholder}
        />
      </label>
      <p id={id} class={problem ? "field-error" : "muted small"} aria-live="polite">
        {problem ?? help}
      </p>
    </>
  );
}
