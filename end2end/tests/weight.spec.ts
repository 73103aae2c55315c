// First-load weight: every page the router knows, opened cold in Chromium, and the bytes
// of the wasm, js and css it fetched before it was interactive (as transferred: brotli). The
// pages come from app/src/routes.rs, so a page added later is weighed without anyone
// remembering to list it. The figures are printed beside the product we replace; the
// largest page must stay within the budget, and the four pages with goals within theirs.
import { expect, test, type Browser, type BrowserContext } from "./fixtures";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hydrated, signInByPost } from "./helpers";

/** kB (brotli) of JavaScript the original Next.js product loads on these pages. */
const ORIGINAL: Record<string, number> = {
  "/login": 331,
  "/w/:slug": 372,
  "/w/:slug/agents": 374,
  "/w/:slug/calls": 506,
};
/** One wasm module for every page, before this work (release build of e1a10ac). */
const BEFORE = 1177;
/** Goals: a third of the original's figure, or less. */
const GOALS: Record<string, number> = {
  "/login": 110,
  "/w/:slug": 124,
  "/w/:slug/calls": 169,
  "/w/:slug/agents/new": 125,
};
/** No page may load more than this, however many pages are added. */
const LARGEST = 200;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Every page path in the router, nested paths joined to their parent's. */
function routePaths(): string[] {
  const source = readFileSync(join(__dirname, "../../app/src/routes.rs"), "utf8");
  const paths: string[] = [];
  let parent = "";
  for (const line of source.split("\n")) {
    const route = line.match(/<(Parent)?Route path=path!\("([^"]*)"\)/);
    if (route?.[1]) parent = route[2];
    else if (route) paths.push(route[2].startsWith("/") ? route[2] : `${parent}${route[2] ? `/${route[2]}` : ""}`);
    if (line.includes("</ParentRoute>")) parent = "";
  }
  return [...new Set(paths)];
}

type Who = "visitor" | "owner" | "admin";
const who = (path: string): Who =>
  path.startsWith("/super-admin") && path !== "/super-admin/login"
    ? "admin"
    : /^\/(w\/|org(\/|$)|account|select-workspace|workspace-onboarding)/.test(path)
      ? "owner"
      : "visitor";

async function signedIn(browser: Browser, base: string, email: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await signInByPost(context.request, base, email);
  return context;
}

/** Bytes transferred for the page's code and style: the release build serves cargo-leptos's
 * brotli files (quality 11), so these are brotli bytes as a visitor downloads them. */
async function weigh(browser: Browser, cookies: BrowserContext | null, path: string) {
  // A fresh context has an empty cache: this is a first visit.
  const context = await browser.newContext({ storageState: cookies ? await cookies.storageState() : undefined });
  const page = await context.newPage();
  const files: Promise<{ url: string; bytes: number }>[] = [];
  page.on("requestfinished", (request) => {
    const url = request.url();
    const kind = request.resourceType();
    if (kind === "script" || kind === "stylesheet" || /\.(wasm|js|css)(\?|$)/.test(url)) {
      files.push(request.sizes().then((sizes) => ({ url, bytes: sizes.responseBodySize })));
    }
  });
  const answer = await page.goto(path);
  expect(answer?.status(), `${path} answers`).toBeLessThan(500);
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  const loaded = await Promise.all(files);
  await context.close();
  return loaded;
}

test("every page's first load stays small", async ({ browser, baseURL }) => {
  // Every page, cold, one after another.
  test.setTimeout(600_000);
  const owner = await signedIn(browser, baseURL!, "owner@genius365.test");
  const admin = await signedIn(browser, baseURL!, "admin@genius365.test");

  // Ids for pages about one agent or one call: the demo workspace's first of each.
  const probe = await owner.newPage();
  await probe.goto("/w/demo/agents");
  const agent = (await probe.getByTestId("agent-card").locator("a").first().getAttribute("href"))?.match(UUID)?.[0];
  await probe.goto("/w/demo/calls");
  const call = (await probe.getByTestId("call-row").locator("a").first().getAttribute("href"))?.match(UUID)?.[0];
  await probe.goto("/w/demo/campaigns");
  const campaign = (await probe.getByTestId("campaign-row").locator("a").first().getAttribute("href"))?.match(UUID)?.[0];
  await probe.close();
  expect(campaign, "the demo workspace has a campaign").toBeTruthy();
  expect(agent, "the demo workspace has an agent").toBeTruthy();
  expect(call, "the demo workspace has a call").toBeTruthy();

  const rows: { path: string; kB: number; files: number }[] = [];
  for (const path of routePaths()) {
    const url = path
      .replace(":slug", "demo")
      .replace(/calls\/:id/, `calls/${call}`)
      .replace(/agents\/:id/, `agents/${agent}`)
      .replace(/campaigns\/:id/, `campaigns/${campaign}`);
    const context = { visitor: null, owner, admin }[who(path)];
    const loaded = await weigh(browser, context, `${baseURL}${url}`);
    const bytes = loaded.reduce((sum, f) => sum + f.bytes, 0);
    rows.push({ path, kB: Math.round(bytes / 1000), files: loaded.length });
  }

  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `${"page".padEnd(28)}${pad("files", 6)}${pad("before", 8)}${pad("now", 6)}${pad("goal", 6)}${pad("original", 10)}`,
    ...rows.map(
      (r) =>
        `${r.path.padEnd(28)}${pad(r.files, 6)}${pad(BEFORE, 8)}${pad(r.kB, 6)}${pad(GOALS[r.path] ?? "", 6)}${pad(ORIGINAL[r.path] ?? "", 10)}`,
    ),
    "kB, brotli: wasm + js + css fetched before the page is interactive, with an empty cache",
  ];
  console.log(lines.join("\n"));

  const largest = rows.reduce((a, b) => (b.kB > a.kB ? b : a));
  expect(largest.kB, `largest page ${largest.path}`).toBeLessThanOrEqual(LARGEST);
  for (const [path, goal] of Object.entries(GOALS)) {
    const row = rows.find((r) => r.path === path);
    expect(row, `${path} is a route`).toBeTruthy();
    expect(row!.kB, `${path} first load`).toBeLessThanOrEqual(goal);
  }
  await owner.close();
  await admin.close();
});
