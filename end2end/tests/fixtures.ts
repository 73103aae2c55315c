// Every end-to-end test runs through this `test`, which fails a test
// - during which a page it opened panicked in wasm ("panicked at", logged by the panic
//   hook) or trapped ("RuntimeError: unreachable"): a panic leaves the page dead for every
//   later click, so a test that merely happens to pass after one hides a bug;
// - that opened a page (`page.goto`) with a serious or critical accessibility violation,
//   as axe finds it against WCAG 2.1 A and AA, checked right where the page loaded.
// Import `test` and `expect` from here, never from "@playwright/test".
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

export { expect };
export type { Browser, Page } from "@playwright/test";

const SIGNS = ["panicked at", "RuntimeError: unreachable"];
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** A page that navigated away or closed while axe read it: nothing left to check. A page
 * with scripts switched off cannot run axe; the same pages are checked with them on. */
const UNCHECKABLE =
  /Execution context was destroyed|Target page, context or browser has been closed|frame was detached|Frame cannot run scripts/;

/** Serious and critical axe violations on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  const url = page.url();
  if (!url.startsWith("http")) return [];
  try {
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${new URL(url).pathname}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  } catch (error) {
    if (UNCHECKABLE.test(String(error))) return [];
    throw error;
  }
}

/** Runs `use` with `watch` applied once to the test's context and to every context the
 * test opens itself (another host, a second user) through `browser.newContext` or
 * `browser.newPage`. */
async function inEveryContext(
  browser: Browser,
  context: BrowserContext,
  watch: (ctx: BrowserContext) => void,
  use: () => Promise<void>,
) {
  const watched = new WeakSet<BrowserContext>();
  const once = (ctx: BrowserContext) => {
    if (watched.has(ctx)) return;
    watched.add(ctx);
    watch(ctx);
  };
  once(context);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const ctx = await newContext(options);
    once(ctx);
    return ctx;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    once(page.context());
    return page;
  };
  try {
    await use();
  } finally {
    browser.newContext = newContext;
    browser.newPage = newPage;
  }
}

export const test = base.extend<{ noPanics: void; accessible: void }>({
  noPanics: [
    async ({ context, browser }, use) => {
      const panics: string[] = [];
      const watch = (ctx: BrowserContext) => {
        ctx.on("console", (message) => {
          const text = message.text();
          if (SIGNS.some((sign) => text.includes(sign))) panics.push(text);
        });
        ctx.on("weberror", (error) => {
          const text = String(error.error());
          if (SIGNS.some((sign) => text.includes(sign))) panics.push(text);
        });
      };
      await inEveryContext(browser, context, watch, use);
      expect(panics, "a page panicked in wasm during the test").toEqual([]);
    },
    { auto: true },
  ],
  accessible: [
    async ({ context, browser }, use) => {
      const found: string[] = [];
      const check = (page: Page) => {
        const goto = page.goto.bind(page);
        page.goto = async (url, options) => {
          const response = await goto(url, options);
          found.push(...(await violations(page)));
          return response;
        };
      };
      const watch = (ctx: BrowserContext) => {
        ctx.pages().forEach(check);
        ctx.on("page", check);
      };
      await inEveryContext(browser, context, watch, use);
      expect([...new Set(found)], "serious or critical accessibility violations").toEqual([]);
    },
    { auto: true },
  ],
});
