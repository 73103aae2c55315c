// The foundation in a real browser: server rendering, hydration, branding per host,
// the workspace shell, the interface kit, 404 and health.
import { expect, test } from "./fixtures";
import { acmeUrl, hydrated, signIn } from "./helpers";

test.describe("with JavaScript", () => {
  test("the home page renders and becomes interactive", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveTitle("Genius365");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("AI voice agents");
    await hydrated(page);

    const html = page.locator("html");
    const wasDark = await html.evaluate((el) => el.classList.contains("dark"));
    await page.getByTestId("theme-toggle").getByRole("button").click();
    await expect(html).toHaveClass(wasDark ? /light/ : /dark/);

    // The choice survives a reload: the server renders it from the cookie.
    await page.reload();
    await expect(html).toHaveClass(wasDark ? /light/ : /dark/);
  });

  test("the interface kit reacts to clicks and the keyboard", async ({ page }) => {
    await page.goto("/design-system");
    await hydrated(page);

    await page.getByRole("button", { name: /Clicked/ }).click();
    await expect(page.getByTestId("click-count")).toHaveText("1");

    await page.getByRole("button", { name: "Open dialog" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete agent?" });
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: "Open dialog" }).click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole("button", { name: "Show toast" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Agent saved." })).toBeVisible();

    const overview = page.getByRole("tab", { name: "Overview" });
    await overview.click();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: "Prompt" })).toHaveAttribute("aria-selected", "true");
    await expect(page.getByRole("tab", { name: "Prompt" })).toBeFocused();
    await expect(page.getByRole("tabpanel")).toHaveText("The system prompt and greeting.");
    await page.getByRole("tab", { name: "Tools" }).click();
    await expect(page.getByRole("tabpanel")).toHaveText("Function tools the agent may call.");
    await expect(page).toHaveURL(/\?tab=tools$/);

    const name = page.getByLabel("Agent name");
    await name.fill("x".repeat(41));
    await expect(page.getByText("Use at most 40 characters.")).toBeVisible();
    await expect(name).toHaveAttribute("aria-invalid", "true");

    const active = page.getByRole("switch", { name: "Active" });
    await expect(active).toBeChecked();
    await active.click();
    await expect(active).not.toBeChecked();
  });

  test("the workspace shell switches workspaces and opens on small screens", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await signIn(page, "", "owner@genius365.test");
    await page.goto("/w/demo");
    await hydrated(page);
    await expect(page).toHaveTitle("Dashboard | Genius365");
    await expect(page.getByRole("heading", { level: 1, name: "Demo Workspace" })).toBeVisible();

    await page.getByRole("button", { name: "Open navigation" }).click();
    const nav = page.locator("#mobile-sidebar").getByRole("navigation", { name: "Workspace" });
    await expect(nav.getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Dashboard" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();

    await page.getByTestId("workspace-switcher").locator("summary").click();
    await expect(page.getByTestId("workspace-switcher").getByRole("link", { name: "Demo Workspace" })).toBeVisible();
  });

  test("a white-label host shows its partner's name and colours", async ({ page, baseURL }) => {
    const acme = acmeUrl(baseURL!);
    await signIn(page, acme, "owner@acme.test");
    await page.goto(`${acme}/w/acme-dental`);
    await expect(page).toHaveTitle("Dashboard | Acme Voice");
    await expect(page.getByTestId("brand-name").first()).toHaveText("Acme Voice");
    const primary = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--brand-primary").trim(),
    );
    expect(primary).toBe("#e11d48");
    await expect(page.getByText("Genius365")).toHaveCount(0);
  });

  test("an unknown page answers 404 with the not-found page", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("health answers with the database and version", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.status).toBe("ok");
    expect(body.database).toBe("ok");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("pages are complete as the server sends them", async ({ page, context, baseURL }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("AI voice agents");
    // Sign in through the API (forms need scripts), then browse without them.
    const response = await context.request.post(`${baseURL}/api/auth/login`, {
      form: { email: "owner@genius365.test", password: "Demo-Password-2026!" },
      headers: { origin: baseURL!, accept: "application/json" },
    });
    expect(response.status()).toBe(200);
    await page.goto("/w/demo");
    await expect(page.getByRole("heading", { level: 1, name: "Demo Workspace" })).toBeVisible();
    // The switcher is a <details> menu, so it opens without scripts too.
    await page.getByTestId("workspace-switcher").locator("summary").click();
    await expect(page.getByTestId("workspace-switcher").getByRole("link", { name: "Demo Workspace" })).toBeVisible();
  });

  test("the interface kit's tabs and dialog work as the server sends them", async ({ page }) => {
    await page.goto("/design-system");
    await page.getByRole("tab", { name: "Prompt" }).click();
    await expect(page).toHaveURL(/\?tab=prompt$/);
    await expect(page.getByRole("tabpanel")).toHaveText("The system prompt and greeting.");
    await expect(page.getByRole("tab", { name: "Prompt" })).toHaveAttribute("aria-selected", "true");

    await page.getByRole("button", { name: "Open dialog" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete agent?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });
});

// The panic watch itself (fixtures.ts): a page that logs a wasm panic fails its test.
test("a page that panics fails its test", async ({ page }) => {
  test.fail();
  await page.goto("/login");
  await page.evaluate(() => console.error("panicked at app/src/example.rs:1:1: a test panic"));
});
