// A value to copy (an access key id, a secret, a URL): shown in a read-only field with a copy
// button. Where the clipboard API is refused (no secure context, no permission), the text is
// selected instead, so Ctrl+C or the system menu copies it.
import { Check, Copy } from "lucide-preact";
import { useRef, useState } from "preact/hooks";

export function CopyField({ id, label, value, mono = true }) {
  const input = useRef(null);
  const [copied, setCopied] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("Copied");
    } catch {
      input.current.focus();
      input.current.select();
      setCopied("Selected: press Ctrl+C (⌘C) to copy");
    }
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-field">
        <input id={id} ref={input} readOnly value={value} class={mono ? "mono" : ""} spellcheck={false} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button" onClick={copy} aria-label={`Copy ${label[0].toLowerCase()}${label.slice(1)}`}>
          {copied === "Copied" ? <Check size={16} aria-hidden="true" /> : <Copy size={16} aria-hidden="true" />}
          <span>Copy</span>
        </button>
      </div>
      <p class="muted small" role="status">
        {copied}
      </p>
    </div>
  );
}
