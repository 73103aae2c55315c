// The organisation's own, in a real browser, on the demo agency kept for it (Northwind
// Calls, northwind.localhost): its owner changes the brand and uploads a logo and sees
// them on the sign-in page of their host (and not on another agency's); adds a custom
// domain, proves it through the loopback DNS server and signs in through it; and reads
// what these actions wrote in the audit log.
import { expect, test } from "./fixtures";
import { hydrated, signIn } from "./helpers";

const northwind = (base: string) => base.replace("//localhost", "//northwind.localhost");
const acme = (base: string) => base.replace("//localhost", "//acme.localhost");
// An 8 × 8 amber square.
const LOGO = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAEklEQVR4nGPYEsz5Hx9mGBkKAOEVg8FdXKQOAAAAAElFTkSuQmCC",
  "base64",
);
const simulators = () => `http://127.0.0.1:${Number(process.env.E2E_PORT) + 1000}`;

const primaryOf = (page: import("@playwright/test").Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand-primary").trim());

test("an agency owner brands its host, proves a domain, signs in there and reads the audit log", async ({
  page,
  baseURL,
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const url = northwind(baseURL!);
  await signIn(page, url, "owner@northwind.test");

  // The brand: names and colours, previewed before saving, then the logo.
  await page.goto(`${url}/org/settings`);
  await hydrated(page);
  const form = page.getByTestId("brand-form");
  await form.getByLabel("Display name").fill("Northwind Voice");
  await form.getByLabel("Support email").fill("help@northwind.test");
  await page.locator("#brand-primary").fill("#b45309");
  await expect(page.getByTestId("brand-preview")).toHaveAttribute("style", /--pv-primary:\s*#b45309/);
  await form.getByRole("button", { name: "Save brand" }).click();
  await expect(page.getByTestId("flash")).toContainText("Brand saved");
  await page.getByLabel("Upload a logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: LOGO });
  await page.getByRole("button", { name: "Save logo" }).click();
  await expect(page.getByTestId("flash")).toContainText("Logo saved");

  const visitor = await browser.newContext();
  const signInPage = await visitor.newPage();
  await signInPage.goto(`${url}/login`);
  await expect(signInPage.getByTestId("brand-name")).toHaveText("Northwind Voice");
  expect(await primaryOf(signInPage)).toBe("#b45309");
  const logo = signInPage.locator("img[src^='/brand/']").first();
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(8);
  await expect(signInPage.getByTestId("support-line")).toContainText("help@northwind.test");
  // Another agency's host is untouched.
  await signInPage.goto(`${acme(baseURL!)}/login`);
  await expect(signInPage.getByTestId("brand-name")).toHaveText("Acme Voice");
  expect(await primaryOf(signInPage)).not.toBe("#b45309");
  await visitor.close();

  // A custom domain, proven by its TXT record on the loopback DNS server.
  const host = `calls-${Date.now().toString(36)}.northwind.e2e.test`;
  await page.goto(`${url}/org/domains`);
  await hydrated(page);
  await page.getByTestId("add-domain-form").getByLabel("Domain").fill(host);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByTestId("flash")).toContainText(`${host} added`);
  const domain = page.locator(`[data-testid=domain][data-hostname="${host}"]`);
  await expect(domain).toContainText("Not verified");
  const name = (await domain.getByTestId("txt-name").textContent())!.trim();
  const value = (await domain.getByTestId("txt-value").textContent())!.trim();
  const set = await request.post(`${simulators()}/_simulator/dns/txt`, { data: { name, value } });
  expect(set.status()).toBe(204);
  await domain.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("flash")).toContainText(`${host} is verified`);
  await expect(domain).toContainText("Verified");

  // Signing in through it: the agency's page, on its own address.
  const port = new URL(baseURL!).port;
  const custom = `http://${host}:${port}`;
  const client = await browser.newContext();
  const there = await client.newPage();
  await signIn(there, custom, "owner@northwind.test");
  expect(new URL(there.url()).host).toBe(`${host}:${port}`);
  await expect(there.getByTestId("brand-name").first()).toHaveText("Northwind Voice");
  await client.close();

  // The audit log holds what was done, newest first.
  await page.goto(`${url}/org/audit`);
  await hydrated(page);
  for (const action of ["domain.verified", "domain.added", "partner.image_uploaded", "partner.branding_updated"]) {
    await expect(page.locator(`tr[data-action="${action}"]`).first()).toBeVisible();
  }
  await page.getByLabel("Action").selectOption("domain.added");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-total")).toHaveText("1 entry matches");
  await expect(page.locator("tbody tr")).toHaveCount(1);
});
