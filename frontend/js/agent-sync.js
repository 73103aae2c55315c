// An agent's sync with its provider (app/src/agents/ui/mod.rs, `SyncBadge`) runs as a job
// after the save. While a badge on the page says it is under way, ask for the page again
// every second, and show it anew once no agent on it is waiting any more (at most two
// minutes; a reload shows the state after that).

const WAITING = '[data-testid=sync-status][data-status="pending"]';

async function watch() {
  for (let tries = 0; tries < 120 && document.querySelector(WAITING); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      const response = await fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store" });
      if (!response.ok) continue;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      if (!page.querySelector(WAITING)) {
        location.reload();
        return;
      }
    } catch {
      // Offline for a moment: look again next second.
    }
  }
}

watch();
