// A table in a card. `columns` are [label, className, sort] triples; a null label is the actions
// column. A column with `sort` ({direction: "ascending" | "descending" | "none", onSort}) has a
// header button that sorts by it, and says how the table is sorted (aria-sort).
import { ArrowDown, ArrowUp } from "lucide-preact";

function SortButton({ label, sort }) {
  const Arrow = sort.direction === "ascending" ? ArrowUp : ArrowDown;
  return (
    <button type="button" class="sort-button" onClick={sort.onSort}>
      <span>{label}</span>
      <Arrow size={14} aria-hidden="true" class={sort.direction === "none" ? "sort-arrow-idle" : ""} />
    </button>
  );
}

export function TableCard({ columns, className = "", children }) {
  return (
    <div class="card table-card">
      <table class={`table ${className}`}>
        <thead>
          <tr>
            {columns.map(([label, cls, sort], i) => (
              <th key={i} scope="col" class={cls} aria-sort={sort && sort.direction !== "none" ? sort.direction : undefined}>
                {label === null ? <span class="visually-hidden">Actions</span> : sort ? <SortButton label={label} sort={sort} /> : label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
