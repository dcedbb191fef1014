// A modal dialog on the native <dialog> element: it traps focus, closes with Escape and restores
// focus to where it was, so every dialog is keyboard accessible the same way.
import { useEffect, useRef } from "preact/hooks";

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
