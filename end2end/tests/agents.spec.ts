// Agents in a real browser: a Sandbox agent built through the wizard with a knowledge
// document and a tool, then a web test call; VAPI and Retell agents synced to the
// simulators, browser test calls through their SDKs, and a payload VAPI refuses shown in
// words.
import { expect, test } from "./fixtures";
import { acmeUrl, createAgent, hydrated, signIn } from "./helpers";

const VAPI_KEY = "vapi-private-key-0001";
const VAPI_PUBLIC_KEY = "vapi-public-key-0001";
const RETELL_KEY = "key_retell0001";
const VAPI_PHONE_NUMBER_ID = "5b2f2b0e-0000-4000-8000-000000000001";

type SimRequest = { method: string; path: string; body: Record<string, unknown> };

/** What the provider simulators (beside the server, see playwright.config.ts) received. */
async function simulatorRequests(): Promise<SimRequest[]> {
  const sim = `http://127.0.0.1:${Number(process.env.E2E_PORT) + 1000}`;
  return (await fetch(`${sim}/_simulator/requests`)).json();
}

test("a Sandbox agent with knowledge and a tool holds a test call", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "", "owner@genius365.test");

  await page.goto("/w/demo/knowledge");
  await hydrated(page);
  await page.getByRole("link", { name: "New document" }).click();
  const form = page.getByTestId("document-form");
  await form.getByLabel("Title").fill("Opening hours");
  await form.locator("#field-doc-content").fill("We open at 9am on weekdays. Saturdays by appointment.");
  await form.getByRole("button", { name: "Save document" }).click();
  await expect(page.locator("[data-testid=document-card][data-title='Opening hours']")).toBeVisible();

  await page.goto("/w/demo/agents/new");
  await hydrated(page);
  // The wizard refuses to go on without a name and says so beside the field.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Give the agent a name.")).toBeVisible();
  await page.getByLabel("Agent name").fill("Ava");
  await page.locator("[data-testid=voice-option][data-voice=EXAVITQu4vr4xnSDxMaL]:visible").click();
  await page.getByRole("checkbox", { name: /^Opening hours/ }).check();
  await page.getByRole("button", { name: "Next" }).click();

  await page.locator("#field-system-prompt").fill("You are the receptionist of Acme Dental. ");
  await page.getByTestId("variable-palette").getByText("{{company}}").click();
  await expect(page.locator("#field-system-prompt")).toHaveValue(/\{\{company\}\}/);
  await page.getByLabel("First message").fill("Thanks for calling {{company}}!");
  await page.getByLabel("Tools server URL").fill("https://tools.example.com/functions");
  await page.locator("#field-add-tool").selectOption("function");
  await page.getByRole("button", { name: "Add tool" }).click();
  const tool = page.getByTestId("tool-card");
  await tool.getByLabel("Name").fill("book_cleaning");
  await tool.getByLabel("When to use it").fill("Book a cleaning when the caller asks for one.");
  await tool.getByLabel("Say while it runs (optional)").fill("Let me book that for you.");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("review")).toContainText("Opening hours");
  await expect(page.getByTestId("review")).toContainText("book_cleaning");
  await page.getByRole("button", { name: "Create agent" }).click();

  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await hydrated(page);
  // The sync runs as a job: the page shows it syncing, then shows the outcome anew.
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "synced");
  await hydrated(page);
  await expect(page.getByTestId("agent-documents")).toContainText("Opening hours");

  await page.getByRole("button", { name: "Start web test call" }).click();
  const transcript = page.getByTestId("test-call-transcript");
  await expect(transcript.getByTestId("turn").first()).toContainText("Thanks for calling Northwind!");
  await expect(page.getByTestId("test-call-ended")).toBeVisible();
  await expect(transcript).toContainText("We open at 9am on weekdays.");
  await expect(transcript).toContainText("Let me book that for you.");
  await expect(transcript.locator("[data-role=tool]")).toContainText("book_cleaning");

  // "Call me": a bad number is refused beside the field, a good one is called.
  const callMe = page.getByTestId("call-me");
  await callMe.getByLabel("Your number").fill("555-0100");
  await callMe.getByRole("button", { name: "Call me" }).click();
  await expect(callMe.getByText("Give the number in international format")).toBeVisible();
  await callMe.getByLabel("Your number").fill("+1 415 555 0123");
  await callMe.getByLabel("Your name (optional)").fill("Dana");
  await callMe.getByRole("button", { name: "Call me" }).click();
  await expect(callMe.getByTestId("test-call-ended")).toBeVisible();
  await expect(callMe.getByTestId("test-call-transcript")).toContainText("Hi Dana, this is Ava");

  await page.goto("/w/demo/agents");
  await expect(page.locator("[data-testid=agent-card][data-name=Ava]")).toContainText("Calls");
});

test("VAPI and Retell agents sync to their providers and a refusal is shown in words", async ({ page, baseURL }) => {
  // Two integrations, two agents, two browser calls and an edit: longer than most.
  test.setTimeout(90_000);
  const acme = acmeUrl(baseURL!);
  await signIn(page, acme, "owner@acme.test");

  await page.goto(`${acme}/org/integrations`);
  await hydrated(page);
  const form = page.getByTestId("add-integration");
  for (const [provider, name, secret, publicKey, from] of [
    ["vapi", "Acme VAPI", VAPI_KEY, VAPI_PUBLIC_KEY, VAPI_PHONE_NUMBER_ID],
    ["retell", "Acme Retell", RETELL_KEY, "", "+14155550100"],
  ]) {
    await form.getByLabel("Provider").selectOption(provider);
    await form.getByLabel("Name").fill(name);
    await form.getByRole("textbox", { name: "Secret key" }).fill(secret);
    await form.getByRole("textbox", { name: "Public key (optional)" }).fill(publicKey);
    await form.getByLabel("Shared outbound number (optional)").fill(from);
    await form.getByRole("button", { name: "Check and save" }).click();
    await expect(page.locator(`[data-testid=integration-row][data-name='${name}']`)).toBeVisible();
  }
  // The defaults reached the organisation's workspace.
  const row = page.locator("[data-testid=assignment-row][data-workspace='Acme Dental']");
  await expect(row.getByLabel("VAPI integration for Acme Dental")).toHaveValue(/[0-9a-f-]{36}/);
  await expect(row.getByLabel("Retell AI integration for Acme Dental")).toHaveValue(/[0-9a-f-]{36}/);

  await createAgent(page, acme, "acme-dental", "VAPI desk", "vapi");
  // The sync runs as a job: the page shows it syncing, then shows the outcome anew.
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "synced");
  const vapiAgent = page.url();
  await hydrated(page);
  await page.getByLabel("Your number").fill("+14155550123");
  await page.getByRole("button", { name: "Call me" }).click();
  await expect(page.getByTestId("flash")).toContainText(`Calling +14155550123 from ${VAPI_PHONE_NUMBER_ID}`);

  // Browser test calls. Nothing may leave this machine: the simulators stand in for the
  // providers' APIs, and requests to any other host (Daily's call engine) are refused.
  const outside = new Set<string>();
  await page.context().route(
    (url) => !["127.0.0.1", "localhost", "acme.localhost"].includes(url.hostname),
    (route) => {
      outside.add(new URL(route.request().url()).hostname);
      return route.abort();
    },
  );
  // VAPI: the web SDK, served from our own files, creates the call with the public key; the
  // page reports it and the server stores it from what VAPI says. Its audio rides on Daily,
  // which is not reachable here, so the page then says why the call stopped.
  const sdk = page.waitForResponse((r) => r.url().includes("/js/web-calls.js"));
  await page.getByRole("button", { name: "Start web test call" }).click();
  expect(new URL((await sdk).url()).origin).toBe(new URL(acme).origin);
  await expect(page.getByTestId("web-call-saved")).toHaveAttribute("data-status", "initiated");
  await expect(page.getByTestId("web-call-error")).toContainText("VAPI could not connect the call: ", { timeout: 20_000 });
  await expect(page.getByTestId("web-call-status")).toHaveText("The call could not go on.");
  const vapiWebCall = (await simulatorRequests()).find((r) => r.method === "POST" && r.path === "/call/web");
  expect(vapiWebCall?.body).toEqual({ assistantId: expect.stringMatching(/[0-9a-f-]{36}/) });
  expect([...outside]).toContain("c.daily.co");

  await createAgent(page, acme, "acme-dental", "Retell desk", "retell");
  // The sync runs as a job: the page shows it syncing, then shows the outcome anew.
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "synced");
  // Retell: the server registers the call; the browser joins its LiveKit room with the
  // token, at the configured media server (the simulator, which carries no audio).
  await hydrated(page);
  await page.getByRole("button", { name: "Start web test call" }).click();
  await expect(page.getByTestId("web-call-saved")).toHaveAttribute("data-status", "initiated");
  await expect(page.getByTestId("web-call-error")).toContainText("Retell AI could not connect the call: ", { timeout: 20_000 });
  const joined = (await simulatorRequests()).filter((r) => r.path === "/rtc");
  expect(joined.length).toBeGreaterThan(0);
  expect(String(joined[0].body.access_token)).toMatch(/^eyJ\.sim\./);
  const asked = (await simulatorRequests()).find((r) => r.path === "/rtc/validate");
  expect(asked?.body.access_token).toBe(joined[0].body.access_token);

  // VAPI answers at least 50 tokens per reply; the simulator refuses 20 as VAPI does.
  await page.goto(`${vapiAgent}/edit`);
  await hydrated(page);
  await page.getByRole("button", { name: "2. Prompts & tools" }).click();
  await page.getByLabel("Max tokens per reply (1–4096)").fill("20");
  await page.getByRole("button", { name: "Save changes" }).first().click();
  await page.waitForURL(vapiAgent);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("sync-message")).toHaveText(
    "VAPI refused the request: model.maxTokens must not be less than 50",
  );
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the wizard makes an agent step by step, adding and removing a tool", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("owner@genius365.test");
    await page.getByLabel("Password").fill("Demo-Password-2026!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.goto("/w/demo/agents/new");
    // A step with a wrong field stays, with the message beside it.
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByText("Give the agent a name.")).toBeVisible();
    await page.getByLabel("Agent name").fill("Bea");
    // The chosen provider's voices show, by CSS alone.
    await page.getByTestId("provider-vapi").click();
    await expect(page.locator("[data-voices=vapi]")).toContainText("no VAPI key");
    await expect(page.locator("[data-voices=sandbox]")).toBeHidden();
    await page.getByTestId("provider-sandbox").click();
    await expect(page.locator("[data-voices=sandbox]")).toBeVisible();
    await page.locator("[data-testid=voice-option]:visible").nth(1).click();
    await page.getByRole("button", { name: "Next" }).click();

    await page.locator("#field-system-prompt").fill("You book cleanings for Acme Dental.");
    await page.getByLabel("First message").fill("Acme Dental, how can I help?");
    await page.locator("#field-add-tool").selectOption("transfer_call");
    await page.getByRole("button", { name: "Add tool" }).click();
    await expect(page.getByTestId("tool-card")).toHaveCount(1);
    // What was typed before the tool was added is still there.
    await expect(page.locator("#field-system-prompt")).toHaveValue("You book cleanings for Acme Dental.");
    await page.getByRole("button", { name: "Remove tool 1" }).click();
    await expect(page.getByTestId("tool-card")).toHaveCount(0);
    await page.getByRole("button", { name: "Next" }).click();

    await expect(page.getByTestId("review")).toContainText("Bea");
    await page.getByRole("button", { name: "Create agent" }).click();
    await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("agent-name")).toHaveText("Bea");
    await expect(page.getByTestId("flash")).toContainText("Agent created.");
  });
});
