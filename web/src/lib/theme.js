// Light, dark, or whatever the system prefers; the choice is remembered in this browser. The page
// always carries the theme in effect as <html data-theme>, so the stylesheet defines each theme
// once, and "system" follows the system's setting as it changes.
const KEY = "cairn-theme";
export const THEMES = ["system", "light", "dark"];
const systemDark = matchMedia("(prefers-color-scheme: dark)");
let chosen = "system";

function show() {
  const dark = chosen === "dark" || (chosen === "system" && systemDark.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}
systemDark.addEventListener("change", show);

export function savedTheme() {
  const t = localStorage.getItem(KEY);
  return THEMES.includes(t) ? t : "system";
}

export function applyTheme(theme) {
  chosen = theme;
  localStorage.setItem(KEY, theme);
  show();
}
