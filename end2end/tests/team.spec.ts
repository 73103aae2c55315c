// The organisation's team page in a real browser: an organisation owner invites someone to
// the team, sees the invitation waiting, and cancels it.
import { expect, test } from "./fixtures";
import { acmeUrl, freshEmail, hydrated, signIn } from "./helpers";

test("an organisation owner invites to the team and cancels the invitation", async ({ page, baseURL }) => {
  const url = acmeUrl(baseURL!);
  await signIn(page, url, "owner@acme.test");
  await page.goto(`${url}/org/team`);
  await hydrated(page);
  await expect(page.getByTestId("team-list")).toContainText("owner@acme.test");

  const email = freshEmail("teammate");
  const form = page.getByTestId("team-invite-form");
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("flash")).toContainText(`Invitation sent to ${email}.`);

  const waiting = page.locator("[data-testid=pending-invitations] li", { hasText: email });
  await expect(waiting).toHaveCount(1);
  await waiting.getByRole("button", { name: `Cancel the invitation to ${email}` }).click();
  await expect(page.getByTestId("flash")).toHaveText("Invitation cancelled: its link no longer works.");
  await expect(waiting).toHaveCount(0);
});
