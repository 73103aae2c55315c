// Every end-to-end test runs through this `test`: it fails any test during which a page
// it opened panicked in wasm ("panicked at", logged by the panic hook) or trapped
// ("RuntimeError: unreachable"). A panic leaves the page dead for every later click, so a
// test that merely happens to pass after one hides a bug. Import `test` and `expect` from
// here, never from "@playwright/test".
import { test as base, expect, type BrowserContext } from "@playwright/test";

export { expect };
export type { Browser, Page } from "@playwright/test";

const SIGNS = ["panicked at", "RuntimeError: unreachable"];

export const test = base.extend<{ noPanics: void }>({
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
      watch(context);
      // Contexts a test opens itself (another host, a second user) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const ctx = await newContext(options);
        watch(ctx);
        return ctx;
      };
      const newPage = browser.newPage.bind(browser);
      browser.newPage = async (options) => {
        const page = await newPage(options);
        watch(page.context());
        return page;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
        browser.newPage = newPage;
      }
      expect(panics, "a page panicked in wasm during the test").toEqual([]);
    },
    { auto: true },
  ],
});
