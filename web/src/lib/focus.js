// Where keyboard focus goes when the page's content changes under it: to the heading of what is
// now shown (focusable by script only, tabindex -1), so that keyboard and screen reader users go
// on from the top of the new content instead of from the start of the document.
export function focusPageHeading() {
  const main = document.getElementById("main");
  const target = main?.querySelector("h1") ?? main;
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
}
