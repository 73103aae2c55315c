// Most forms are plain HTML forms posting to a server function, with no island: the server
// answers with a redirect, to the next page, or back to the form with its error in the
// address (`__path`, `__err`), which the page renders. This keeps what was typed across that
// round trip (in this tab's sessionStorage, never passwords, hidden fields or files), marks
// the form busy while it posts, and ignores a second submit of a form already posting.
// Without JavaScript the forms work the same, minus those three.
(() => {
  const PREFIX = "g365-form:";
  const kept = (el) =>
    el.name && !el.disabled && !["password", "file", "hidden", "submit", "button", "reset", "image"].includes(el.type);
  const keyOf = (form) => {
    const action = form.getAttribute("action") || "";
    const twins = [...document.querySelectorAll("form")].filter((f) => f.getAttribute("action") === action);
    return `${PREFIX}${action}#${twins.indexOf(form)}`;
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    // An island's form posts by itself (and prevents the browser's post).
    if (event.defaultPrevented || form.method !== "post") return;
    if (form.dataset.posting) {
      event.preventDefault();
      return;
    }
    form.dataset.posting = "true";
    form.setAttribute("aria-busy", "true");
    const values = [...form.elements].flatMap((el, index) =>
      kept(el) ? [[index, el.name, el.type === "checkbox" || el.type === "radio" ? el.checked : el.value]] : [],
    );
    try {
      sessionStorage.setItem(keyOf(form), JSON.stringify(values));
    } catch {
      // Storage full or refused: the form posts all the same.
    }
  });

  // Back to a page kept in the browser's memory: its forms are no longer posting.
  window.addEventListener("pageshow", () => {
    for (const form of document.querySelectorAll("form[data-posting]")) {
      delete form.dataset.posting;
      form.removeAttribute("aria-busy");
    }
  });

  const params = new URLSearchParams(location.search);
  const refused = params.has("__err") ? params.get("__path") : null;
  for (const form of document.querySelectorAll("form[method=post]")) {
    const action = form.getAttribute("action") || "";
    const saved = action === refused ? sessionStorage.getItem(keyOf(form)) : null;
    if (!saved) continue;
    for (const [index, name, value] of JSON.parse(saved)) {
      const el = form.elements[index];
      if (!el || el.name !== name || !kept(el)) continue;
      if (typeof value === "boolean") el.checked = value;
      else el.value = value;
    }
    (form.querySelector("[aria-invalid=true]") || form.querySelector("[role=alert]"))?.focus?.();
  }
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  }
})();
