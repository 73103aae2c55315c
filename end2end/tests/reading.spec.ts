// The demo workspace as a newcomer finds it on first start (`seed-demo`): calls over the
// last 30 days on the dashboard, the calls list with its filters and search, a call's
// transcript, analytics per agent, the credit ledger, the agents and their knowledge.
// These pages are rendered on the server and their filters are plain GET forms, so every
// test here also runs with JavaScript switched off (the "no-js" project).
import { expect, test } from "./fixtures";
import { hydrated, signInByPost } from "./helpers";

test.describe("reading the demo workspace", { tag: "@no-js" }, () => {
  // Without the page's script, which the no-js project does not run.
  test.beforeEach(({ page, baseURL }) => signInByPost(page.request, baseURL!, "owner@genius365.test"));

  test("the dashboard counts the month's calls", async ({ page }) => {
    await page.goto("/w/demo");
    await hydrated(page);
    await expect(page.getByTestId("dashboard")).toBeVisible();
    const calls = Number((await page.getByTestId("kpi-calls").textContent())!.replace(/\D/g, ""));
    expect(calls).toBeGreaterThanOrEqual(240);
    await expect(page.getByTestId("recent-call").first()).toBeVisible();
  });

  test("calls are filtered, searched and read", async ({ page }) => {
    await page.goto("/w/demo/calls");
    await hydrated(page);
    await expect(page.getByTestId("call-row").first()).toBeVisible();
    expect(Number(await page.getByTestId("call-stats").getAttribute("data-total"))).toBeGreaterThanOrEqual(240);

    // The status filter is a plain form: its answer is an address that can be shared.
    await page.getByLabel("Status").selectOption("no_answer");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=no_answer/);
    const rows = page.getByTestId("call-row");
    await expect(rows.first()).toBeVisible();
    for (const status of await rows.evaluateAll((r) => r.map((e) => e.getAttribute("data-status")))) {
      expect(status).toBe("no_answer");
    }

    // A word from the transcripts finds the calls about it, marked.
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Search").fill("toothache");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/q=toothache/);
    await expect(page.getByTestId("search-snippet").locator("mark").first()).toHaveText(/toothache/i);

    // One call: its summary and the whole conversation.
    await rows.first().getByRole("link").first().click();
    await expect(page.getByTestId("call-detail")).toBeVisible();
    await expect(page.getByTestId("call-summary")).toContainText("toothache");
    await expect(page.getByTestId("turn")).toHaveCount(7);
  });

  test("analytics compare the agents", async ({ page }) => {
    await page.goto("/w/demo/analytics");
    await expect(page.getByTestId("agent-performance").filter({ hasText: "Front desk" })).toBeVisible();
    await expect(page.getByTestId("agent-performance").filter({ hasText: "Reminder calls" })).toBeVisible();
  });

  test("the ledger shows the credit and what calls cost", async ({ page }) => {
    await page.goto("/w/demo/billing");
    await expect(page.getByTestId("credit-balance")).toBeVisible();
    await expect(page.locator("[data-testid=ledger-row][data-kind=usage]").first()).toBeVisible();
  });

  test("agents and their knowledge", async ({ page }) => {
    await page.goto("/w/demo/agents");
    const desk = page.locator('[data-testid=agent-card][data-name="Front desk"]');
    await expect(desk).toBeVisible();
    // The filters are a GET form: the address holds them, with or without scripts.
    await page.getByLabel("Search").fill("front");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/q=front/);
    await expect(page.getByTestId("agent-card")).toHaveCount(1);
    await desk.getByRole("link").first().click();
    await expect(page.getByTestId("agent-tools")).toContainText(/transfer/i);
    await page.goto("/w/demo/knowledge");
    await expect(page.locator('[data-testid=document-card][data-title="Front desk FAQ"]')).toBeVisible();
  });
});
