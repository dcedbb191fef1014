// A table in a card. `columns` are [label, className] pairs; a null label is the actions column.
export function TableCard({ columns, className = "", children }) {
  return (
    <div class="card table-card">
      <table class={`table ${className}`}>
        <thead>
          <tr>
            {columns.map(([label, cls], i) => (
              <th key={i} scope="col" class={cls}>
                {label ?? <span class="visually-hidden">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
