// Organisation integrations in a real browser: the page, and a key its provider refuses
// is not saved.
import { expect, test } from "./fixtures";
import { hydrated, signIn } from "./helpers";

test("a key the provider refuses is not saved, and the form says why", async ({ page }) => {
  await signIn(page, "", "owner@genius365.test");
  await page.goto("/org/integrations");
  await hydrated(page);
  await expect(page.getByTestId("no-integrations")).toBeVisible();

  const form = page.getByTestId("add-integration");
  await form.getByLabel("Provider").selectOption("vapi");
  await form.getByLabel("Name").fill("Main VAPI");
  await form.getByRole("textbox", { name: "Secret key" }).fill("vapi-public-key-0001");
  await form.getByRole("button", { name: "Check and save" }).click();

  await expect(page.getByText("VAPI refused the key.")).toBeVisible();
  await expect(page.getByTestId("no-integrations")).toBeVisible();
});

test("workspace viewers are told the page is for organisation admins", async ({ page }) => {
  await signIn(page, "", "viewer@genius365.test");
  await page.goto("/org/integrations");
  await expect(page.getByTestId("org-admins-only")).toBeVisible();
});
