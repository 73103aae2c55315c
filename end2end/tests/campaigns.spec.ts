// A campaign from a list: bad rows, a duplicate and a do-not-call number accounted for in
// the compliance preview, launched on the demo's Sandbox caller, paused and resumed,
// followed live to the end (a retry included), and a recipient's call opened; and a
// scheduled campaign that starts by itself.
import type { Locator } from "@playwright/test";
import { expect, test } from "./fixtures";
import { hydrated, signIn } from "./helpers";

/** A fixed-offset zone where it is about noon now, so calling windows are open. */
function noonZone(): string {
  const offset = 12 - new Date().getUTCHours();
  if (offset === 0) return "Etc/GMT";
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** Calling windows every day, 08:00 to 21:00, on the schedule step. */
async function everyDay(schedule: Locator) {
  for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
    await schedule.getByLabel(day, { exact: true }).check();
    await schedule.getByLabel(`${day} from`).fill("08:00");
    await schedule.getByLabel(`${day} until`).fill("21:00");
  }
}

/** "2026-12-07T14:05" for `date` in UTC, as a datetime-local field takes it. */
function utcField(date: Date): string {
  return date.toISOString().slice(0, 16);
}

test("a campaign is built from a list, launched, paused, resumed and finished", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await signIn(page, baseURL!, "owner@genius365.test");

  // A number the workspace must never call.
  await page.goto("/w/demo/campaigns");
  await hydrated(page);
  const dnc = page.getByTestId("do-not-call");
  await dnc.getByLabel("Number", { exact: true }).fill("+1 415 555 0120");
  await dnc.getByLabel("Reason").fill("Asked by letter");
  await dnc.getByRole("button", { name: "Add to list" }).click();
  // (Already there when this test runs again on the same server.)
  await expect(page.getByTestId("flash")).toContainText(/(Added to|already on) the do-not-call list/);
  await expect(page.locator('[data-testid=dnc-row][data-phone="+14155550120"]')).toBeVisible();

  // 1. Details.
  await page.getByRole("link", { name: "New campaign" }).click();
  await hydrated(page);
  const details = page.getByTestId("details-form");
  await details.getByLabel("Name").fill("Spring recall");
  await details.getByLabel("Agent that makes the calls").selectOption({ label: "Reminder calls (Sandbox)" });
  await details.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByTestId("campaign-wizard")).toHaveAttribute("data-step", "2");

  // 2. The list: two good rows (the Sandbox does not answer …06 the first time), a
  // duplicate, a bad number, a missing one, the listed one.
  const zone = noonZone();
  const csv = [
    "Phone,First Name,Last Name",
    "(415) 555-0101,Ada,Lovelace",
    "415 555 0106,Alan,Turing",
    "415-555-0101,Ada,Again",
    "12345,Bad,Number",
    ",No,Phone",
    "415 555 0120,Do,Not",
    "415 555 0103,Grace,Hopper",
  ]
    .map((line, i) => (i === 0 ? `${line},Time zone` : `${line},${zone}`))
    .join("\n");
  await expect(page.getByRole("link", { name: "Download a template" })).toHaveAttribute("href", /template\.csv$/);
  await page.getByLabel("List (.csv)").setInputFiles({ name: "spring.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  // The columns as the server would take them, read from the file's first lines; the
  // last name is left out this time.
  const columns = page.getByTestId("column-map");
  await expect(columns.getByLabel("Phone holds")).toHaveValue("phone");
  await expect(columns.getByLabel("Time zone holds")).toHaveValue("time_zone");
  await expect(columns).toContainText("(415) 555-0101");
  await columns.getByLabel("Last Name holds").selectOption("skip");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("flash")).toContainText("Imported 4 recipients");
  await expect(page.getByTestId("recipient-count")).toContainText("4 recipients on the list; 3 rows could not be used.");
  await expect(page.getByTestId("rejects")).toContainText("Row 4");
  await page.getByRole("link", { name: "Continue" }).click();

  // 3. Variables (the caller's prompt has none to map), 4. every day, 08:00 to 21:00.
  await page.getByTestId("variables-form").getByRole("button", { name: "Save and continue" }).click();
  const schedule = page.getByTestId("schedule-form");
  await everyDay(schedule);
  await schedule.getByLabel("Calls at once").fill("1");
  // A retry after no answer: a minute on.
  const noAnswer = schedule.getByRole("group", { name: "No answer" });
  await noAnswer.getByLabel("Minutes between").fill("0");
  await schedule.getByRole("button", { name: "Save and continue" }).click();
  await expect(noAnswer.getByText("Wait at least 1 minute")).toBeVisible();
  await noAnswer.getByLabel("Minutes between").fill("1");
  await schedule.getByRole("button", { name: "Save and continue" }).click();

  // 5. The compliance preview, then the launch.
  await expect(page.getByTestId("compliance-summary")).toHaveText("3 of 4 will be called; 1 skipped.");
  const preview = page.getByTestId("compliance-preview");
  await expect(preview).toContainText("On a do-not-call list");
  await expect(preview).toContainText("Duplicate rows merged");
  // Each group skipped, as CSV.
  await expect(preview.getByRole("link", { name: "CSV" }).first()).toHaveAttribute("href", /skipped\.csv\?group=do_not_call$/);
  await page.getByRole("button", { name: "Launch campaign" }).click();
  await expect(page.getByTestId("flash")).toContainText("Launched");
  const state = page.getByTestId("campaign-state");
  await expect(state).toHaveAttribute("data-status", "running");

  // Paused: its reason is shown; resumed, it goes on.
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(state).toHaveAttribute("data-status", "paused");
  await expect(page.getByTestId("pause-reason")).toContainText("Paused by a person");
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(state).toHaveAttribute("data-status", "running");

  // Followed live, without reloading: calls appear in the feed as they happen; the
  // number not answered waits for its retry, which comes a minute later; then it is done.
  await hydrated(page);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connected", "true");
  await expect(page.locator('[data-testid=activity-item][data-phone="+14155550101"]')).toContainText("Answered");
  const retried = page.locator('[data-testid=recipient-row][data-phone="+14155550106"]');
  await expect(retried).toContainText("No answer", { timeout: 30_000 });
  await expect(retried).toContainText("Next ");
  await expect(page.getByTestId("campaign-pulse")).toContainText("Calls per minute");
  await expect(state).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(retried).toContainText("Answered");
  await expect(retried.locator("td").nth(3)).toHaveText("2");
  await expect(page.getByTestId("progress-line")).toContainText("4 of 4 done · 3 reached · 4 calls");
  const listed = page.locator('[data-testid=recipient-row][data-phone="+14155550120"]');
  await expect(listed).toContainText("Skipped");
  await expect(listed).toContainText("Do not call");

  // The results, as CSV.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export results (CSV)" }).click();
  const file = await (await download).path();
  const { readFileSync } = await import("node:fs");
  const exported = readFileSync(file, "utf8");
  expect(exported.split("\r\n")[0]).toBe("row,phone,name,status,outcome,attempts,next_attempt_at,note,last_call_id");
  expect(exported).toContain("+14155550101,Ada,completed,answered,1,");

  // A recipient's call, with its conversation.
  await page.locator('[data-testid=recipient-row][data-phone="+14155550101"]').getByRole("link", { name: "Last call" }).click();
  await expect(page).toHaveURL(/\/w\/demo\/calls\//);
  await expect(page.getByText("Do you have a minute?")).toBeVisible();
});

test("a scheduled campaign starts by itself", async ({ page, baseURL }) => {
  test.setTimeout(200_000);
  await signIn(page, baseURL!, "owner@genius365.test");
  await page.goto("/w/demo/campaigns/new");
  await hydrated(page);
  const details = page.getByTestId("details-form");
  await details.getByLabel("Name").fill("Starts by itself");
  await details.getByLabel("Agent that makes the calls").selectOption({ label: "Reminder calls (Sandbox)" });
  await details.getByLabel("Campaign time zone").selectOption("UTC");
  await details.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByTestId("campaign-wizard")).toHaveAttribute("data-step", "2");
  const csv = `Phone,Name,Time zone\n415 555 0111,Ada,${noonZone()}\n`;
  await page.getByLabel("List (.csv)").setInputFiles({ name: "later.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("recipient-count")).toContainText("1 recipients on the list");
  await page.getByRole("link", { name: "Continue" }).click();
  await page.getByTestId("variables-form").getByRole("button", { name: "Save and continue" }).click();

  // Every day, from the start of the minute after next (UTC, the campaign's zone).
  const schedule = page.getByTestId("schedule-form");
  await everyDay(schedule);
  const start = new Date(Date.now() + 120_000);
  await schedule.getByLabel("At a time (the campaign's zone)").check();
  await schedule.getByLabel("Start at").fill(utcField(start));
  await schedule.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Launch campaign" }).click();
  await expect(page.getByTestId("flash")).toContainText("starts by itself");
  const state = page.getByTestId("campaign-state");
  await expect(state).toHaveAttribute("data-status", "scheduled");

  // Nobody touches it: at its time it starts, calls, and finishes, shown live.
  await hydrated(page);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connected", "true");
  await expect(state).toHaveAttribute("data-status", "completed", { timeout: 170_000 });
  await expect(page.locator('[data-testid=recipient-row][data-phone="+14155550111"]')).toContainText("Answered");
});
