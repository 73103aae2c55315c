// The platform console in a real browser: from the outbox to the job queue, where the
// worker running inside the server reports its heartbeat and the periodic jobs appear.
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, hydrated } from "./helpers";

test("a super admin opens the job queue and sees the worker alive", async ({ page }) => {
  await page.goto("/super-admin/login");
  await hydrated(page);
  await page.getByLabel("Email").fill("admin@genius365.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/super-admin/outbox");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Jobs" }).click();
  await page.waitForURL("**/super-admin/jobs");

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jobs");
  await expect(page.getByRole("link", { name: "Jobs" })).toHaveAttribute("aria-current", "page");
  // `serve` runs a worker inside: it wrote its heartbeat when it started.
  await expect(page.getByTestId("workers").locator("li").first()).toContainText("last heard");
  await expect(page.getByRole("heading", { name: "Failed and dead" })).toBeVisible();
});
