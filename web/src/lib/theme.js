// Light, dark, or whatever the system prefers; the choice is remembered in this browser.
const KEY = "cairn-theme";
export const THEMES = ["system", "light", "dark"];

export function savedTheme() {
  const t = localStorage.getItem(KEY);
  return THEMES.includes(t) ? t : "system";
}

export function applyTheme(theme) {
  if (theme === "system") document.documentElement.removeAttribute("data-theme");
  else document.documentElement.setAttribute("data-theme", theme);
  localStorage.setItem(KEY, theme);
}
