// Tabs (app/src/components/tabs.rs): the server renders each tab as a link to the page with
// that tab chosen. Here a click or an arrow key (Home, End) shows the tab's panel in place,
// and the address keeps the choice for a reload.

function select(tab, focus) {
  const list = tab.closest("[role=tablist]");
  for (const other of list.querySelectorAll("[role=tab]")) {
    const on = other === tab;
    other.setAttribute("aria-selected", String(on));
    other.tabIndex = on ? 0 : -1;
    const panel = document.getElementById(other.getAttribute("aria-controls"));
    if (panel) panel.hidden = !on;
  }
  history.replaceState(history.state, "", tab.href);
  if (focus) tab.focus();
}

document.addEventListener("click", (event) => {
  const tab = event.target.closest?.("[role=tablist] [role=tab]");
  if (!tab || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  select(tab, false);
});

document.addEventListener("keydown", (event) => {
  const tab = event.target.closest?.("[role=tablist] [role=tab]");
  if (!tab) return;
  const tabs = [...tab.closest("[role=tablist]").querySelectorAll("[role=tab]")];
  const at = tabs.indexOf(tab);
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1 + tabs.length, Home: 0, End: tabs.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  select(tabs[next % tabs.length], true);
});
