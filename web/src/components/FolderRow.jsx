// A folder's row in the object browser: a link into it, a tick for the selection and a delete
// action (recursive: lib/bulkDelete.js) for keys that may delete.
import { Folder, Trash2 } from "lucide-preact";
import { bucketHref } from "../lib/route.js";

// `name`: the folder as shown (its key below the current folder). `onToggle` and `onDelete` are
// null for keys that may not delete.
export function FolderRow({ bucket, folder, name, selected, onToggle, onDelete }) {
  return (
    <tr class={`folder-row${selected ? " selected" : ""}`} data-folder={folder}>
      {onToggle && (
        <td class="check-col">
          <input type="checkbox" checked={selected} onChange={() => onToggle(folder)} aria-label={`Select folder ${name}`} />
        </td>
      )}
      <td>
        <a class="row-link" href={bucketHref(bucket, { prefix: folder })}>
          <Folder size={16} aria-hidden="true" />
          <span>{name}</span>
        </a>
      </td>
      {/* The cells of an object's size, storage class and date, so that the columns line up on a phone too, where they hide. */}
      <td class="hide-narrow" />
      <td class="hide-narrow" />
      <td class="hide-narrow" />
      <td class="actions-col">
        {onDelete && (
          <div class="row-actions">
            <button type="button" class="icon-button" aria-label={`Delete folder ${name}`} title="Delete folder and everything in it" onClick={() => onDelete(folder)}>
              <Trash2 size={16} aria-hidden="true" />
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
