// The agent page's browser test call, for VAPI and Retell agents (Sandbox agents need no
// script: their conversation is simulated on the server and played back by the page).
// Takes over the "Start web test call" form: asks the server for the call's launch details,
// loads the providers' call module (`web-calls.js`, a chunk per provider) only then, shows
// what the module reports in the page's browser-call panel, and tells the server when the
// provider has created the call and when it ended, so the server asks the provider and
// stores it. The module's events are described at the top of `web-calls.js`.

const form = document.querySelector("form[data-web-call]");
const panel = document.querySelector("[data-testid=browser-call]");
if (form && panel) {
  const provider = form.dataset.webCall;
  const button = form.querySelector("button[type=submit]");
  const part = (id) => panel.querySelector(`[data-testid=${id}]`);
  const status = part("web-call-status");
  const failure = part("web-call-error");
  const transcript = part("web-call-transcript");
  const saved = part("web-call-saved");
  const mute = panel.querySelector("[data-call=mute]");
  const end = panel.querySelector("[data-call=end]");
  const turn = panel.querySelector("template[data-call=turn]");
  const fields = new URLSearchParams(new FormData(form));
  let calls = null;
  let phase = "idle";
  let agentSpeaking = false;
  let muted = false;

  // The server function's answer as JSON, or its error's words.
  const post = async (path, body) => {
    const response = await fetch(path, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    const json = await response.json().catch(() => null);
    if (response.ok) return json;
    const detail = json?.detail;
    throw new Error(typeof detail === "string" ? detail : detail?.message || `The server answered ${response.status}.`);
  };
  const show = (el, text) => {
    el.textContent = text;
    el.classList.toggle("hidden", !text);
  };
  const render = () => {
    const texts = {
      connecting: `Connecting to ${provider}… allow the microphone when asked.`,
      live: agentSpeaking ? "Live. The agent is talking." : "Live. Speak now.",
      ended: failure.textContent ? "The call could not go on." : "Call ended.",
    };
    status.textContent = texts[phase] || "";
    mute.hidden = end.hidden = phase === "ended";
    mute.textContent = muted ? "Unmute" : "Mute";
    button.disabled = phase === "connecting" || phase === "live";
  };
  const report = (callId) =>
    post("/api/agents/test-call-update", new URLSearchParams({ slug: fields.get("slug"), id: fields.get("id"), call_id: callId })).then(
      (state) => {
        saved.dataset.status = state.status;
        show(saved, `Saved with this workspace's calls (${state.status.replaceAll("_", " ")}).`);
      },
      (error) => show(failure, error.message),
    );
  const onEvent = (json) => {
    const event = JSON.parse(json);
    switch (event.type) {
      case "created":
        report(event.callId);
        break;
      case "live":
        phase = "live";
        break;
      case "speaking":
        agentSpeaking = event.agent;
        break;
      case "transcript":
        transcript.replaceChildren(
          ...event.turns.map((t) => {
            const li = turn.content.firstElementChild.cloneNode(true);
            li.dataset.role = t.role;
            li.classList.add(...(t.role === "agent" ? ["mr-12", "bg-surface-2"] : ["ml-12", "bg-brand/10"]));
            li.firstElementChild.textContent = t.role === "agent" ? "Agent" : "You";
            li.lastElementChild.textContent = t.text;
            return li;
          }),
        );
        break;
      case "ended":
        phase = "ended";
        agentSpeaking = false;
        if (event.callId) report(event.callId);
        break;
      case "error":
        show(failure, `${provider} ${phase === "live" ? "dropped the call" : "could not connect the call"}: ${event.message}`);
        break;
    }
    render();
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (phase === "connecting" || phase === "live") return;
    const alert = form.parentElement.querySelector("[data-testid=form-error]");
    if (alert) alert.remove();
    show(failure, "");
    show(saved, "");
    transcript.replaceChildren();
    phase = "connecting";
    muted = false;
    panel.classList.remove("hidden");
    render();
    try {
      const start = await post(form.action, fields);
      calls ??= await import(new URL("/js/web-calls.js", location.href).href);
      calls.startWebCall(start.Browser, onEvent);
    } catch (error) {
      show(failure, error.message);
      phase = "ended";
      render();
    }
  });
  mute.addEventListener("click", () => {
    muted = !muted;
    calls?.muteWebCall(muted);
    render();
  });
  end.addEventListener("click", () => calls?.stopWebCall());
  // Leaving the page hangs up; the module still reports the end, which `report` stores.
  window.addEventListener("pagehide", () => calls?.stopWebCall());
  button.disabled = false;
}
