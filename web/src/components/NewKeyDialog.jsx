// The one time a secret access key is shown: right after the key was created. The dialog says so,
// and the secret leaves the page's memory when the dialog closes.
import { TriangleAlert } from "lucide-preact";
import { CopyField } from "./CopyField.jsx";
import { Dialog } from "./Dialog.jsx";

export function NewKeyDialog({ created, onClose }) {
  return (
    <Dialog
      title={`Key ${created.name} created`}
      onClose={onClose}
      labelId="new-key-title"
      actions={
        <button type="button" class="button button-primary" onClick={onClose}>
          I have copied the secret
        </button>
      }
    >
      <div class="stack">
        <p class="warning" role="alert">
          <TriangleAlert size={18} aria-hidden="true" />
          <span>Copy the secret access key now: you will not see it again. If you lose it, create a new key.</span>
        </p>
        <CopyField id="new-key-id" label="Access key ID" value={created.accessKeyId} />
        <CopyField id="new-key-secret" label="Secret access key" value={created.secretAccessKey} />
        <p class="muted small">
          {created.permission}
          {created.buckets?.length ? ` · buckets ${created.buckets.join(", ")}` : ""}
          {created.prefixes?.length ? ` · prefixes ${created.prefixes.join(", ")}` : ""}
          {created.expiresAt ? ` · expires ${new Date(created.expiresAt).toLocaleString()}` : ""}
        </p>
      </div>
    </Dialog>
  );
}
