// What the object browser does with folders: create one in the folder shown, and delete folders
// with everything under them (alone, or with objects in a selection) through the bulk-delete
// dialog. The browser renders `dialog` and reloads its listing through `onChanged`.
import { useState } from "preact/hooks";
import { namedKeys } from "../lib/selection.js";
import { BulkDeleteDialog } from "./BulkDeleteDialog.jsx";
import { CreateFolderDialog } from "./CreateFolderDialog.jsx";

// What the confirmation of deleting `folders` (and `keys`) says goes. Names are below `prefix`.
function describe(bucket, prefix, folders, keys) {
  const name = (key) => key.slice(prefix.length);
  if (folders.length === 1 && keys.length === 0) {
    return {
      title: `Delete folder ${name(folders[0])}?`,
      message: (
        <p>
          Everything under <code class="object-name">{`${bucket}/${folders[0]}`}</code> will be deleted for good: every object in this folder and in
          its subfolders. This cannot be undone.
        </p>
      ),
    };
  }
  const { shown, more } = namedKeys([...folders, ...keys]);
  const count = folders.length + keys.length;
  return {
    title: `Delete ${count} items?`,
    message: (
      <>
        <p>These {count} items will be deleted for good, each folder with everything under it:</p>
        <ul class="delete-keys" data-testid="delete-keys">
          {shown.map((key) => (
            <li key={key}>
              <code>{name(key)}</code>
            </li>
          ))}
          {more > 0 && <li class="muted">and {more} more</li>}
        </ul>
      </>
    ),
  };
}

export function useFolderActions({ bucket, prefix, onChanged }) {
  const [dialog, setDialog] = useState(null);  // {create} or {folders, keys}
  const close = () => setDialog(null);

  let rendered = null;
  if (dialog?.create) {
    rendered = (
      <CreateFolderDialog
        bucket={bucket}
        prefix={prefix}
        onClose={close}
        onCreated={() => {
          close();
          onChanged();
        }}
      />
    );
  } else if (dialog) {
    rendered = (
      <BulkDeleteDialog
        bucket={bucket}
        {...describe(bucket, prefix, dialog.folders, dialog.keys)}
        targets={{ keys: dialog.keys, prefixes: dialog.folders }}
        confirmLabel="Delete"
        onClose={(progress) => {
          close();
          if (progress) onChanged();
        }}
      />
    );
  }
  return {
    dialog: rendered,
    createFolder: () => setDialog({ create: true }),
    deleteFolders: (folders, keys = []) => setDialog({ folders, keys }),
  };
}
