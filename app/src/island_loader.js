// Loads the wasm only on a page that has islands, hydrates each island in document order
// (a lazy island's chunk first), then marks <body data-hydrated>, which end-to-end tests
// wait for. A page without islands downloads no wasm at all and is marked at once.
// Adapted from Leptos' island script (leptos/src/hydration/island_script.js).
((root, pkg, js, wasm) => {
  const ready = () => document.body.setAttribute("data-hydrated", "true");
  if (!document.querySelector("leptos-island")) {
    ready();
    return;
  }
  const childrenHooks = [];
  async function hydrateIsland(el, mod) {
    const island = mod[el.dataset.component];
    if (!island) {
      console.warn(`No island ${el.dataset.component} in the wasm module.`);
      return;
    }
    const hook = childrenHooks[childrenHooks.length - 1];
    if (hook) hook();
    await island(el);
  }
  async function traverse(node, mod) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (tag === "leptos-island") await hydrateIsland(node, mod);
    if (tag === "leptos-children") childrenHooks.push(node.$$on_hydrate);
    for (const child of node.children) await traverse(child, mod);
    if (tag === "leptos-children") childrenHooks.pop();
  }
  import(`${root}/${pkg}/${js}.js`).then((mod) =>
    mod.default({ module_or_path: `${root}/${pkg}/${wasm}.wasm` }).then(async () => {
      mod.hydrate();
      await traverse(document.body, mod);
      ready();
    }),
  );
})
