// The brand settings page: as a colour is picked, the preview and the colour checks are
// drawn again with the rules the pages use (black or white text on the primary colour,
// links darkened until they read at 4.5:1). Saving makes the server's own checks the
// ones shown.

const hex = (h) => {
  const m = /^#?([0-9a-f]{6})$/i.exec(h.trim());
  return m ? [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16) / 255) : null;
};
const toHex = (c) => "#" + c.map((v) => Math.round(v * 255).toString(16).padStart(2, "0")).join("");
const luminance = (c) =>
  c
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};
const WHITE = [1, 1, 1];
const BLACK = [11 / 255, 11 / 255, 15 / 255];
const readable = (c) => (1.05 / (luminance(c) + 0.05) >= (luminance(c) + 0.05) / 0.05 ? WHITE : BLACK);
const ink = (c) => {
  let out = c;
  const surface = 0.85;
  for (let i = 0; i < 40; i++) {
    const l = luminance(out);
    if ((Math.max(l, surface) + 0.05) / (Math.min(l, surface) + 0.05) >= 4.5) break;
    out = out.map((v) => Math.round(v * 0.95 * 255) / 255);
  }
  return out;
};
const ratio = (r) => (Math.floor(r * 10) / 10).toFixed(1) + ":1";

const preview = document.querySelector("[data-testid=brand-preview]");
const inputs = document.querySelectorAll("[data-brand-color]");

function redraw() {
  const primary = hex(document.querySelector("[data-brand-color=primary]").value);
  const accent = hex(document.querySelector("[data-brand-color=accent]").value);
  if (!primary || !accent || !preview) return;
  const link = ink(primary);
  preview.style.setProperty("--pv-primary", toHex(primary));
  preview.style.setProperty("--pv-on-primary", toHex(readable(primary)));
  preview.style.setProperty("--pv-link", toHex(link));
  preview.style.setProperty("--pv-accent", toHex(accent));
  const results = [
    [contrast(primary, readable(primary)), 4.5],
    [contrast(primary, WHITE), 3],
    [contrast(accent, WHITE), 3],
    [contrast(link, WHITE), 4.5],
  ];
  results.forEach(([value, needed], i) => {
    const row = document.querySelector(`[data-check="${i}"]`);
    if (!row) return;
    row.querySelector("[data-check-ratio]").textContent = ratio(value);
    const badge = row.querySelector("[data-check-badge] span");
    if (badge) badge.textContent = value >= needed ? "AA" : "Fails";
    row.querySelector("[data-check-note]").textContent =
      i === 3 && toHex(link) !== toHex(primary)
        ? `Darkened to ${toHex(link)} for text, so it reads on light pages.`
        : value >= needed
          ? "Passes."
          : "Too little contrast: choose a darker colour.";
  });
  for (const input of inputs) {
    const text = document.querySelector(`[data-brand-color-text="${input.dataset.brandColor}"]`);
    if (text) text.textContent = input.value;
  }
}

for (const input of inputs) input.addEventListener("input", redraw);
