// Shared steps for the end-to-end tests: hosts, signing in, reading the outbox, TOTP codes.
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { createHmac, randomBytes } from "node:crypto";

export const DEMO_PASSWORD = "Demo-Password-2026!";

/** Waits until the page is interactive; at once where scripts are switched off. */
export const hydrated = async (page: Page) => {
  if (test.info().project.use.javaScriptEnabled === false) return;
  await page.waitForSelector("body[data-hydrated=true]");
};

/** The base URL of the white-label demo partner's host. */
export const acmeUrl = (baseURL: string) => baseURL.replace("//localhost", "//acme.localhost");

/** A fresh address nobody has used. */
export const freshEmail = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

/** Signs in through the login form and waits for the landing page. */
export async function signIn(page: Page, base: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${base}/login`);
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Signs in with a plain form post, as a browser without scripts does; the session cookie
 * lands in the context `request` belongs to. */
export async function signInByPost(request: APIRequestContext, base: string, email: string) {
  const response = await request.post(`${base}/api/auth/login`, {
    form: { email, password: DEMO_PASSWORD },
    headers: { origin: base, accept: "application/json" },
  });
  expect(response.status(), `${email} signs in`).toBe(200);
}

/** The text of the newest outbox email to `to`, read by the platform administrator. */
export async function newestEmailTo(browser: Browser, platformBase: string, to: string): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${platformBase}/super-admin/login`);
  await hydrated(page);
  await page.getByLabel("Email").fill("admin@genius365.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/super-admin/outbox");
  const email = page.locator(`[data-testid=outbox-email][data-to="${to}"]`).first();
  await expect(email).toBeVisible();
  const text = (await email.getByTestId("outbox-text").textContent()) ?? "";
  await context.close();
  return text;
}

/** The first link in a text. */
export const linkIn = (text: string) => {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
};

/** The RFC 6238 code for a base32 secret, `offset` 30-second steps from now. */
export function totp(secret: string, offset = 0): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const at = digest[digest.length - 1] & 0x0f;
  const value = (digest.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/**
 * A new person with an account on `base`: on the platform host they sign up; on a
 * white-label host (invitation only) `inviterEmail` invites them to `workspace` and they
 * accept. Leaves `page` signed in as the new person.
 */
export async function newPerson(
  browser: Browser,
  page: Page,
  base: string,
  opts: { platform: boolean; inviterEmail?: string; workspace?: string; role?: string },
) {
  const email = freshEmail("person");
  const password = "Fresh-Person-2026!";
  if (opts.platform) {
    await page.goto(`${base}/signup`);
    await hydrated(page);
    await page.getByLabel("First name").fill("Pat");
    await page.getByLabel("Last name").fill("Tester");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
    await page.getByLabel("Confirm password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("check-inbox")).toContainText(email);
    // The account opens with the link emailed to it.
    const link = linkIn(await newestEmailTo(browser, base, email));
    await page.goto(link);
    await hydrated(page);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page.waitForURL(/\/w\/pat-s-workspace/);
  } else {
    const link = await invite(browser, base, opts.inviterEmail!, opts.workspace!, email, opts.role ?? "member");
    await acceptAsNewAccount(page, link, password);
  }
  return { email, password };
}

/** Invites `email` to a workspace through the members page; returns the link the
 * invitation email carries (the inviter is only told it was sent). */
export async function invite(
  browser: Browser,
  base: string,
  inviterEmail: string,
  workspace: string,
  email: string,
  role: string,
) {
  const context = await browser.newContext();
  const owner = await context.newPage();
  await signIn(owner, base, inviterEmail);
  await owner.goto(`${base}/w/${workspace}/members`);
  await hydrated(owner);
  const form = owner.getByTestId("invite-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByTestId("flash")).toContainText(`Invitation sent to ${email}.`);
  await context.close();
  const platformBase = base.replace("//acme.localhost", "//localhost");
  return linkIn(await newestEmailTo(browser, platformBase, email));
}

/** Opens an invitation link signed out, creates the account and lands in the workspace. */
export async function acceptAsNewAccount(page: Page, link: string, password: string) {
  await page.goto(link);
  await hydrated(page);
  const form = page.getByTestId("invitation-signup");
  await form.getByLabel("First name").fill("Sam");
  await form.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await form.getByLabel("Confirm password").fill(password);
  await form.getByRole("button", { name: "Create account and accept" }).click();
  await page.waitForURL(/\/w\//);
}

export async function signOut(page: Page) {
  await page.getByTestId("user-menu").locator("summary").click();
  await page.getByTestId("sign-out").click();
  await page.waitForURL("**/login");
  await hydrated(page);
}

/** Fills the wizard's two steps and creates the agent; lands on its page. */
export async function createAgent(page: Page, base: string, slug: string, name: string, provider: string, extra?: (page: Page) => Promise<void>) {
  await page.goto(`${base}/w/${slug}/agents/new`);
  await hydrated(page);
  await page.getByLabel("Agent name").fill(name);
  await page.getByTestId(`provider-${provider}`).click();
  // Every provider's voices are on the page; only the chosen provider's list shows.
  const voice = page.locator("[data-testid=voice-option]:visible").first();
  await expect(voice).toBeVisible();
  await voice.click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.locator("#field-system-prompt").fill("You answer calls for Acme Dental. Be brief and friendly.");
  await page.getByLabel("First message").fill("Thanks for calling Acme Dental!");
  if (extra) await extra(page);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("review")).toContainText(name);
  await page.getByRole("button", { name: "Create agent" }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("agent-name")).toHaveText(name);
  // The provider hears of it from a job; the page shows the outcome anew when it ends.
  await expect(page.getByTestId("sync-status")).not.toHaveAttribute("data-status", "pending");
  await hydrated(page);
}
