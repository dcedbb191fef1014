// cairn's mark: four stacked stones.
export function Logo({ size = 28 }) {
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <ellipse cx="16" cy="26" rx="12" ry="4" />
      <ellipse cx="16" cy="18" rx="9" ry="3.5" />
      <ellipse cx="16" cy="11" rx="6.5" ry="3" />
      <ellipse cx="16" cy="5" rx="4" ry="2.5" />
    </svg>
  );
}
