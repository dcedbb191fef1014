// The access keys (admin keys only): every key with its permission, scope and dates, never a
// secret. admin-rw keys also create keys (the secret is shown once) and revoke them; the builtin
// key comes from the environment or credentials.json and is changed there, not here.
import { KeyRound, Trash2 } from "lucide-preact";
import { useEffect, useState } from "preact/hooks";
import * as admin from "../api/admin.js";
import { useAccess } from "../lib/access.js";
import { formatDate } from "../lib/format.js";
import { CreateKeyDialog } from "./CreateKeyDialog.jsx";
import { ListPageHeader } from "./ListPageHeader.jsx";
import { useConfirmation } from "./Dialog.jsx";
import { NewKeyDialog } from "./NewKeyDialog.jsx";
import { Pending } from "./States.jsx";
import { TableCard } from "./Table.jsx";
import { toast } from "./Toasts.jsx";

const when = (iso, none) => (iso ? formatDate(new Date(iso)) : none);

function Scope({ k }) {
  if (k.permission.startsWith("admin-")) return <div class="muted">Everything</div>;
  return (
    <div class="scope">
      <div>{k.buckets?.length ? k.buckets.map((b) => <code key={b}>{b}</code>) : <span class="muted">All buckets</span>}</div>
      {k.prefixes?.length > 0 && (
        <div class="small">
          <span class="muted">prefixes </span>
          {k.prefixes.map((p) => (
            <code key={p}>{p}</code>
          ))}
        </div>
      )}
    </div>
  );
}

export function KeysPage() {
  const access = useAccess();
  const [keys, setKeys] = useState(null);
  const [error, setError] = useState(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState(null);

  const load = () => {
    setError(null);
    admin.listKeys().then(setKeys, setError);
  };
  useEffect(load, []);

  const [revokeDialog, confirmRevoke] = useConfirmation(
    async (k) => {
      await admin.revokeKey(k.accessKeyId);
      toast(`Key ${k.name} revoked`);
      load();
    },
    (k) => ({
      title: `Revoke key ${k.name}?`,
      message: (
        <p>
          Everything that uses <strong>{k.name}</strong> (<code>{k.accessKeyId}</code>) is refused from now on: requests, presigned URLs it signed, temporary credentials made from it and dashboard sessions. This cannot be undone.
        </p>
      ),
      confirmLabel: "Revoke key",
    }),
  );

  const now = Date.now();
  return (
    <main class="page">
      <ListPageHeader
        title="Access keys"
        items={keys}
        noun="key"
        refreshLabel="Refresh keys"
        onRefresh={load}
        createLabel="Create key"
        onCreate={access.manageKeys && (() => setCreating(true))}
      />
      <Pending value={keys} error={error} onRetry={load} />
      {keys && (
        <TableCard
          className="keys-table"
          columns={[["Name"], ["Permission"], ["Scope", "hide-narrow"], ["Created", "hide-narrow"], ["Last used", "hide-narrow"], ["Expires", "hide-narrow"], [null, "actions-col"]]}
        >
          {keys.map((k) => {
            const expired = k.expiresAt && new Date(k.expiresAt).getTime() <= now;
            const expiry = k.expiresAt ? `${expired ? "Expired" : "Expires"} ${when(k.expiresAt)}` : "Never expires";
            return (
              <tr key={k.accessKeyId} data-key-id={k.accessKeyId}>
                <td>
                  <div class="row-link">
                    <KeyRound size={16} aria-hidden="true" />
                    <span class="key-name">{k.name}</span>
                    {k.builtin && <span class="badge" title="The admin key cairn starts with: change it where it comes from">builtin</span>}
                  </div>
                  <div>
                    <code class="small muted">{k.accessKeyId}</code>
                  </div>
                  <div class="show-narrow small">
                    <Scope k={k} />
                    <div class={expired ? "expired" : "muted"}>{expiry}</div>
                  </div>
                </td>
                <td>
                  <span class={`badge badge-${k.permission.split("-")[0]}`}>{k.permission}</span>
                </td>
                <td class="hide-narrow">
                  <Scope k={k} />
                </td>
                <td class="hide-narrow muted">{when(k.createdAt, "–")}</td>
                <td class="hide-narrow muted">{when(k.lastUsedAt, "Never")}</td>
                <td class={`hide-narrow${expired ? " expired" : " muted"}`}>{expired ? expiry : when(k.expiresAt, "Never")}</td>
                <td class="actions-col">
                  {access.manageKeys && !k.builtin && (
                    <button type="button" class="icon-button" aria-label={`Revoke key ${k.name}`} title="Revoke key" onClick={() => confirmRevoke(k)}>
                      <Trash2 size={16} aria-hidden="true" />
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </TableCard>
      )}
      {creating && (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            load();
          }}
        />
      )}
      {created && <NewKeyDialog created={created} onClose={() => setCreated(null)} />}
      {revokeDialog}
    </main>
  );
}
