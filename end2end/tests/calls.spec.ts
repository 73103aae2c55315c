// Calls, credits and the paywall in a real browser, in a workspace of their own: Sandbox
// calls appear live on the calls page, a word from a transcript finds its call, the call
// plays with its transcript following, the CSV export downloads, the dashboard and
// analytics count the call, credits drop by its minutes, and at zero the workspace is
// read-only until an organisation admin grants credit.
import { expect, test, type Page } from "./fixtures";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createAgent, hydrated, signIn } from "./helpers";

/** Creates a workspace of the platform partner as its owner; returns its slug. */
async function newWorkspace(page: Page, baseURL: string, name: string): Promise<string> {
  const response = await page.request.post("/api/tenancy/create-workspace", {
    form: { name, description: "" },
    headers: { origin: baseURL },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as string;
}

const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, "")) * 100);

test("calls show live, are found, play, export, count and are paid for", async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  await signIn(page, "", "owner@genius365.test");
  const slug = await newWorkspace(page, baseURL!, `Calls ${randomBytes(3).toString("hex")}`);
  await createAgent(page, "", slug, "Nova", "sandbox");
  const agentUrl = page.url();

  // The calls page is open in another tab while the call happens.
  const calls = await context.newPage();
  await calls.goto(`/w/${slug}/calls`);
  await hydrated(calls);
  await expect(calls.getByTestId("live-indicator")).toHaveAttribute("data-connected", "true");
  await expect(calls.getByText("No calls yet")).toBeVisible();

  await page.goto(agentUrl);
  await hydrated(page);
  await page.getByRole("button", { name: "Start web test call" }).click();
  await expect(page.getByTestId("test-call-ended")).toBeVisible();

  // It arrives without reloading.
  await expect(calls.getByTestId("call-row")).toHaveCount(1);
  await expect(calls.getByTestId("call-stats")).toHaveAttribute("data-total", "1");

  // A word from the transcript finds it, marked; another word finds nothing.
  await calls.getByLabel("Search").fill("dental");
  await calls.getByRole("button", { name: "Apply" }).click();
  await expect(calls.getByTestId("search-snippet").locator("mark").first()).toHaveText(/dental/i);
  await calls.getByLabel("Search").fill("zebra");
  await calls.getByRole("button", { name: "Apply" }).click();
  await expect(calls.getByText("No calls match these filters")).toBeVisible();

  // The CSV of the filtered set downloads with the call in it.
  await calls.goto(`/w/${slug}/calls?q=dental`);
  await hydrated(calls);
  const [download] = await Promise.all([calls.waitForEvent("download"), calls.getByTestId("export-csv").click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toContain("call_id,created_at,agent");
  expect(csv).toContain(",Nova,web,");

  // The call page: transcript, cost, and the recording with the transcript following.
  await calls.getByTestId("call-row").getByRole("link").first().click();
  await expect(calls.getByTestId("call-detail")).toBeVisible();
  await hydrated(calls);
  const turns = calls.getByTestId("turn");
  await expect(turns.first()).toContainText("Thanks for calling Acme Dental!");
  const audio = calls.locator("[data-testid=player] audio");
  // The recording is real audio the browser can read.
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration), { timeout: 15_000 }).toBeGreaterThan(5);
  const count = await turns.count();
  expect(count).toBeGreaterThan(2);
  // Clicking a line's time seeks there and highlights it.
  await turns.nth(2).getByRole("button").click();
  await expect(turns.nth(2)).toHaveAttribute("aria-current", "true");
  const at = await audio.evaluate((a: HTMLAudioElement) => a.currentTime);
  expect(at).toBeGreaterThan(0);
  // ±10 s move the time, and the highlight with it.
  const spoken = calls.locator("[data-testid=turn][aria-current=true]");
  await calls.getByRole("button", { name: "+10 s" }).click();
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThan(at + 9);
  await expect(spoken).toHaveCount(1);
  expect(Number((await spoken.getAttribute("id"))!.replace("turn-", ""))).toBeGreaterThan(2);
  await calls.getByRole("button", { name: "−10 s" }).click();
  await expect(turns.nth(2)).toHaveAttribute("aria-current", "true");
  await calls.getByLabel("Speed").selectOption("1.5");
  expect(await audio.evaluate((a: HTMLAudioElement) => a.playbackRate)).toBe(1.5);
  // Playing moves the time along. The play() promise is not awaited: on a loaded machine
  // Chromium's media pipeline can take long to settle it; the time moving is what counts.
  const before = await audio.evaluate((a: HTMLAudioElement) => a.currentTime);
  await audio.evaluate((a: HTMLAudioElement) => { a.muted = true; void a.play(); });
  await expect
    .poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(before + 0.5);
  const minutesText = await calls.getByTestId("cost-breakdown").locator("div").first().locator("dd").textContent();
  const minutes = Number(minutesText);
  expect(minutes).toBeGreaterThan(0);

  // Dashboard and analytics count it.
  await calls.goto(`/w/${slug}`);
  await expect(calls.getByTestId("kpi-calls")).toContainText("1");
  await expect(calls.getByTestId("daily-bars")).toHaveAttribute("data-total", "1");
  await calls.goto(`/w/${slug}/analytics`);
  await expect(calls.getByTestId("analytics-calls")).toContainText("1");
  await expect(calls.getByTestId("agent-performance")).toContainText("Nova");

  // Credits dropped by exactly its minutes at 20¢.
  await calls.goto(`/w/${slug}/billing`);
  await expect(calls.getByTestId("credit-balance")).toHaveAttribute("data-cents", String(1000 - minutes * 20));
  await expect(calls.getByTestId("ledger-row").first()).toHaveAttribute("data-kind", "usage");

  // The organisation takes the rest back: at zero the workspace is read-only.
  await page.goto("/org/billing");
  await hydrated(page);
  const name = await page.locator(`[data-testid=workspace-credit-row][data-slug="${slug}"] a`).textContent();
  const adjust = page.getByTestId("adjust-form");
  await adjust.getByLabel("Workspace").selectOption({ label: name! });
  await adjust.getByLabel("Amount (USD)").fill(`-${((1000 - minutes * 20) / 100).toFixed(2)}`);
  await adjust.getByLabel("Reason").fill("Trial over");
  await adjust.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("flash")).toContainText("$0.00");
  await expect(page.locator(`[data-testid=workspace-credit-row][data-slug="${slug}"]`)).toContainText("Read-only");

  await page.goto(agentUrl);
  await hydrated(page);
  await expect(page.getByTestId("paywall-banner")).toBeVisible();
  await page.getByRole("button", { name: "Start web test call" }).click();
  await expect(page.getByTestId("form-error")).toContainText("Credits exhausted");
  await page.getByTestId("paywall-banner").getByRole("link", { name: "Go to Billing" }).click();
  await expect(page.getByTestId("billing-paywalled")).toBeVisible();

  // An admin grants credit and the workspace works again.
  await page.goto("/org/billing");
  await hydrated(page);
  await adjust.getByLabel("Workspace").selectOption({ label: name! });
  await adjust.getByLabel("Amount (USD)").fill("5");
  await adjust.getByLabel("Reason").fill("Renewed");
  await adjust.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("flash")).toContainText("$5.00");
  await page.goto(agentUrl);
  await hydrated(page);
  await expect(page.getByTestId("paywall-banner")).toHaveCount(0);
  await page.getByRole("button", { name: "Start web test call" }).click();
  await expect(page.getByTestId("test-call-ended")).toBeVisible();
  await calls.goto(`/w/${slug}/billing`);
  await expect(calls.getByTestId("ledger-row")).toHaveCount(5);
  expect(cents((await calls.getByTestId("credit-balance").textContent())!)).toBeLessThan(500);
});
