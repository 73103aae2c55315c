// Accounts and access in a real browser, on the platform host and on the white-label
// host: sign up, sign in and out, password reset by email, two-factor sign-in, and
// inviting a member whose role decides what they see.
import { expect, test } from "./fixtures";
import {
  acceptAsNewAccount,
  acmeUrl,
  freshEmail,
  hydrated,
  invite,
  linkIn,
  newPerson,
  newestEmailTo,
  signIn,
  signOut,
  totp,
} from "./helpers";

const hosts = [
  { name: "platform host", platform: true, owner: "owner@genius365.test", workspace: "demo" },
  { name: "white-label host", platform: false, owner: "owner@acme.test", workspace: "acme-dental" },
];

for (const host of hosts) {
  test.describe(host.name, () => {
    // Each flow opens several browser contexts, and each loads the debug wasm afresh.
    test.describe.configure({ timeout: 120_000 });
    const base = (baseURL: string) => (host.platform ? baseURL : acmeUrl(baseURL));

    test("a new person gets an account, signs out and signs in again", async ({ page, browser, baseURL }) => {
      const url = base(baseURL!);
      const person = await newPerson(browser, page, url, {
        platform: host.platform,
        inviterEmail: host.owner,
        workspace: host.workspace,
      });
      await hydrated(page);
      await signOut(page);
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

      await page.getByLabel("Email").fill(person.email);
      await page.getByLabel("Password").fill("Wrong-Password-2026!");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
      // The form came back from the server with its error, and with the address typed.
      await expect(page.getByLabel("Email")).toHaveValue(person.email);
      await expect(page.getByLabel("Password")).toHaveValue("");

      await signIn(page, url, person.email, person.password);
      await expect(page).toHaveURL(/\/w\//);
      if (!host.platform) await expect(page.getByText("Genius365")).toHaveCount(0);
    });

    test("a forgotten password is reset through the emailed link", async ({ page, browser, baseURL }) => {
      const url = base(baseURL!);
      const person = await newPerson(browser, page, url, {
        platform: host.platform,
        inviterEmail: host.owner,
        workspace: host.workspace,
      });
      await hydrated(page);
      await signOut(page);

      await page.goto(`${url}/forgot-password`);
      await hydrated(page);
      await page.getByLabel("Email").fill(person.email);
      await page.getByRole("button", { name: "Send reset link" }).click();
      await expect(page.getByTestId("form-notice")).toContainText("Check your email");

      const link = linkIn(await newestEmailTo(browser, baseURL!, person.email));
      expect(link.startsWith(url)).toBe(true);
      await page.goto(link);
      await hydrated(page);
      await page.getByRole("textbox", { name: "New password", exact: true }).fill("Reset-Password-2026!");
      await page.getByLabel("Confirm new password").fill("Reset-Password-2026!");
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(page.getByTestId("login-notice")).toContainText("password was changed");

      await signIn(page, url, person.email, "Reset-Password-2026!");
      await expect(page).toHaveURL(/\/w\//);
      await page.goto(link);
      await expect(page.getByTestId("reset-expired")).toBeVisible();
    });

    test("two-factor sign-in is enrolled and then asked for", async ({ page, browser, baseURL }) => {
      const url = base(baseURL!);
      const person = await newPerson(browser, page, url, {
        platform: host.platform,
        inviterEmail: host.owner,
        workspace: host.workspace,
      });
      await page.goto(`${url}/account`);
      await hydrated(page);
      await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
      await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
      const secret = (await page.getByTestId("mfa-secret").textContent())!.trim();
      await page.getByLabel("Code from the app").fill(totp(secret));
      await page.getByRole("button", { name: "Turn on" }).click();
      await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
      await expect(page.getByTestId("mfa-on")).toBeVisible();
      const recovery = (await page.getByTestId("recovery-codes").locator("li").first().textContent())!.trim();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/login");
      await hydrated(page);
      await page.getByLabel("Email").fill(person.email);
      await page.getByLabel("Password").fill(person.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const code = page.getByLabel("Authentication code");
      await expect(code).toBeVisible();
      await code.fill("000000");
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByText("That code is not valid")).toBeVisible();
      // The enrolment used this step's code; the next step's is accepted (clock drift).
      await code.fill(totp(secret, 1));
      await page.getByRole("button", { name: "Verify" }).click();
      await page.waitForURL(/\/w\//);

      // Turning it off takes the password as well as a code.
      await page.goto(`${url}/account`);
      await hydrated(page);
      await page.locator("#mfa-off-current-password").fill("Not-The-Password-1!");
      await page.locator("#mfa-off-code").fill(recovery);
      await page.getByRole("button", { name: "Turn off two-factor" }).click();
      await expect(page.getByText("Your current password is not correct.")).toBeVisible();
      await page.locator("#mfa-off-current-password").fill(person.password);
      await page.locator("#mfa-off-code").fill(recovery);
      await page.getByRole("button", { name: "Turn off two-factor" }).click();
      await expect(page.getByTestId("mfa-off")).toBeVisible();
    });

    test("an invited member joins, a viewer sees no team controls, and the owner changes the role", async ({
      page,
      browser,
      baseURL,
    }) => {
      const url = base(baseURL!);
      const email = freshEmail("invitee");
      const link = await invite(browser, url, host.owner, host.workspace, email, "viewer");
      await acceptAsNewAccount(page, link, "Invited-Person-2026!");
      await page.goto(`${url}/w/${host.workspace}/members`);
      await hydrated(page);
      await expect(page.getByTestId("member-list")).toContainText(email);
      await expect(page.getByTestId("invite-form")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
      await expect(page.getByText("Only owners and admins can change the team.")).toBeVisible();

      const ownerContext = await browser.newContext();
      const owner = await ownerContext.newPage();
      await signIn(owner, url, host.owner);
      await owner.goto(`${url}/w/${host.workspace}/members`);
      await hydrated(owner);
      const row = owner.locator(`[data-testid=member-row][data-email="${email}"]`);
      await row.getByLabel(`Role of ${email}`).selectOption("admin");
      await row.getByRole("button", { name: "Save" }).click();
      await expect(owner.getByTestId("flash")).toHaveText("Role saved.");
      await expect(owner.locator(`[data-testid=member-row][data-email="${email}"]`).getByLabel(`Role of ${email}`)).toHaveValue("admin");

      // Another invitation waits in the pending list until the owner cancels it.
      const other = freshEmail("pending");
      const form = owner.getByTestId("invite-form");
      await form.getByLabel("Email").fill(other);
      await form.getByLabel("Role").selectOption("member");
      await form.getByRole("button", { name: "Send invitation" }).click();
      await expect(owner.getByTestId("flash")).toContainText(`Invitation sent to ${other}.`);
      const waiting = owner.locator("[data-testid=pending-invitations] li", { hasText: other });
      await expect(waiting).toHaveCount(1);
      await waiting.getByRole("button", { name: `Cancel the invitation to ${other}` }).click();
      await expect(owner.getByTestId("flash")).toHaveText("Invitation cancelled: its link no longer works.");
      await expect(waiting).toHaveCount(0);
      await ownerContext.close();

      await page.reload();
      await hydrated(page);
      await expect(page.getByTestId("invite-form")).toBeVisible();
    });
  });
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in form works without scripts", async ({ page, baseURL }) => {
    await page.goto(`${acmeUrl(baseURL!)}/login`);
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill("Not-The-Password-1!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
    await page.getByLabel("Email").fill("owner@acme.test");
    await page.getByLabel("Password").fill("Demo-Password-2026!");
    await page.getByRole("button", { name: "Sign in" }).click();
    // The owner's only workspace, or the picker once another test has added one.
    await expect(page).toHaveURL(/\/(select-workspace|w\/acme-dental)$/);
    await expect(page.getByText("Acme Dental").first()).toBeVisible();
  });

  test("a reset link is asked for without scripts", async ({ page, baseURL }) => {
    await page.goto(`${baseURL}/forgot-password`);
    await page.getByLabel("Email").fill("nobody-here@example.com");
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("form-notice")).toContainText("Check your email");
  });

  test("sign-in pages are complete and branded as the server sends them", async ({ page, baseURL }) => {
    await page.goto(`${acmeUrl(baseURL!)}/`);
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("brand-name")).toHaveText("Acme Voice");
    await page.goto(`${acmeUrl(baseURL!)}/signup`);
    await expect(page.getByTestId("invitation-only")).toBeVisible();
  });
});
