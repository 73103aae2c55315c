// The knowledge base without scripts, as its forms are plain: a file read into a draft,
// checked and made active, found by the filters; a file that cannot be read says why.
import { expect, test } from "./fixtures";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a document is uploaded, checked, saved and found", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("owner@genius365.test");
    await page.getByLabel("Password").fill("Demo-Password-2026!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.goto("/w/demo/knowledge");
    await page.getByRole("link", { name: "New document" }).click();
    const upload = page.getByTestId("upload-form");
    await upload.getByLabel("File").setInputFiles({
      name: "Parking rules.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("Park behind the building, bays 4 to 9."),
    });
    await upload.getByRole("button", { name: "Read file" }).click();
    await expect(page.getByTestId("flash")).toContainText("Read “Parking rules” into a draft");
    const form = page.getByTestId("document-form");
    await expect(form.locator("#field-doc-content")).toHaveValue("Park behind the building, bays 4 to 9.");
    await expect(form.getByTestId("document-source")).toContainText("Parking rules.md");
    await form.getByLabel("Status").selectOption("active");
    await form.getByRole("button", { name: "Save document" }).click();
    await expect(page.getByTestId("flash")).toContainText("Saved “Parking rules”");

    await page.getByLabel("Search").fill("bays 4");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/q=bays\+4/);
    await expect(page.getByTestId("document-card")).toHaveCount(1);
    await expect(page.locator('[data-testid=document-card][data-title="Parking rules"]')).toContainText("Active");

    await page.getByRole("link", { name: "New document" }).click();
    await upload.getByLabel("File").setInputFiles({ name: "prices.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("PK") });
    await upload.getByRole("button", { name: "Read file" }).click();
    await expect(page.getByTestId("upload-error")).toContainText("Upload a .txt, .md, .pdf or .docx file.");
  });
});
