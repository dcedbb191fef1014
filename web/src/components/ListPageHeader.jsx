// The header of a page that lists things (buckets, access keys): its title, how many there are,
// a refresh button, and a create button for those who may create.
import { Plus, RefreshCw } from "lucide-preact";

export function ListPageHeader({ title, items, noun, refreshLabel, onRefresh, createLabel, onCreate }) {
  return (
    <div class="page-header">
      <div>
        <h1>{title}</h1>
        <p class="muted">{items ? `${items.length} ${noun}${items.length === 1 ? "" : "s"}` : "\u00a0"}</p>
      </div>
      <div class="toolbar">
        <button type="button" class="button" onClick={onRefresh} aria-label={refreshLabel}>
          <RefreshCw size={16} aria-hidden="true" />
        </button>
        {onCreate && (
          <button type="button" class="button button-primary" onClick={onCreate}>
            <Plus size={16} aria-hidden="true" />
            <span>{createLabel}</span>
          </button>
        )}
      </div>
    </div>
  );
}
