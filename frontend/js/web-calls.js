// Browser test calls through the providers' own media stacks: VAPI's web SDK (which rides
// on Daily) and Retell's LiveKit room. The agent page imports this module only when a call
// starts, and each provider's code is a separate chunk loaded only for that provider.
//
// One call at a time. The page hears about it through `emit`, called with a JSON string:
//   {type: "created", callId}         the provider has registered the call
//   {type: "live"}                    audio flows both ways
//   {type: "speaking", agent: bool}   the agent started or stopped talking
//   {type: "transcript", turns}       everything said so far: [{role: "agent"|"user", text}]
//   {type: "ended", callId}           the call is over, whoever ended it
//   {type: "error", message}          it could not start or broke off; "ended" follows

let current = null;

/** Starts a call described by `session` (see `WebCallLaunch` in the agents model). */
export async function startWebCall(session, emit) {
  await stopWebCall();
  const send = (event) => emit(JSON.stringify(event));
  const call = session.provider === "vapi" ? vapiCall(session, send) : retellCall(session, send);
  current = call;
  try {
    await call.start();
  } catch (error) {
    send({ type: "error", message: describe(error) });
    await call.stop();
  }
}

export async function stopWebCall() {
  const call = current;
  current = null;
  if (call) await call.stop();
}

export function muteWebCall(muted) {
  if (current) current.mute(muted);
}

function vapiCall({ publicKey, assistantId, apiBaseUrl }, send) {
  let vapi = null;
  let callId = null;
  let ended = false;
  const turns = [];
  const finish = () => {
    if (!ended) {
      ended = true;
      send({ type: "ended", callId });
    }
  };
  return {
    async start() {
      const module = await import("@vapi-ai/web");
      // The package is CommonJS with a default export.
      const Vapi = module.default?.default ?? module.default;
      // Daily loads its call engine with a script tag from c.daily.co rather than eval, so
      // the page's Content-Security-Policy needs no 'unsafe-eval'.
      vapi = new Vapi(publicKey, apiBaseUrl, { avoidEval: true });
      vapi.on("call-start-progress", (progress) => {
        const id = progress?.metadata?.callId;
        if (progress?.stage === "web-call-creation" && progress.status === "completed" && id) {
          callId = id;
          send({ type: "created", callId });
        }
      });
      vapi.on("call-start", () => send({ type: "live" }));
      vapi.on("speech-start", () => send({ type: "speaking", agent: true }));
      vapi.on("speech-end", () => send({ type: "speaking", agent: false }));
      vapi.on("message", (message) => {
        if (message?.type === "transcript" && message.transcriptType === "final") {
          turns.push({ role: message.role === "assistant" ? "agent" : "user", text: message.transcript });
          send({ type: "transcript", turns });
        }
      });
      vapi.on("error", (error) => send({ type: "error", message: describe(error) }));
      vapi.on("call-end", finish);
      const call = await vapi.start(assistantId);
      // `start` reports its failures through "error" and answers null.
      if (!call) finish();
    },
    async stop() {
      if (vapi) {
        try {
          await vapi.stop();
        } catch (error) {
          send({ type: "error", message: describe(error) });
        }
      }
      finish();
    },
    mute(muted) {
      vapi?.setMuted(muted);
    },
  };
}

function retellCall({ callId, accessToken, url }, send) {
  let room = null;
  let ended = false;
  const finish = () => {
    if (!ended) {
      ended = true;
      send({ type: "ended", callId });
    }
  };
  return {
    async start() {
      const { Room, RoomEvent, Track } = await import("livekit-client");
      room = new Room({
        audioCaptureDefaults: {
          autoGainControl: true,
          echoCancellation: true,
          noiseSuppression: true,
          channelCount: 1,
        },
      });
      const decoder = new TextDecoder();
      room.on(RoomEvent.TrackSubscribed, (track) => {
        if (track.kind === Track.Kind.Audio) track.attach();
      });
      // Retell's server sends the transcript so far, and talking turns, as data messages.
      room.on(RoomEvent.DataReceived, (payload, participant) => {
        if (participant?.identity !== "server") return;
        let event;
        try {
          event = JSON.parse(decoder.decode(payload));
        } catch {
          return;
        }
        if (event.event_type === "update" && Array.isArray(event.transcript)) {
          const turns = event.transcript.map((t) => ({
            role: t.role === "agent" ? "agent" : "user",
            text: String(t.content ?? ""),
          }));
          send({ type: "transcript", turns });
        } else if (event.event_type === "agent_start_talking") {
          send({ type: "speaking", agent: true });
        } else if (event.event_type === "agent_stop_talking") {
          send({ type: "speaking", agent: false });
        }
      });
      room.on(RoomEvent.Disconnected, finish);
      send({ type: "created", callId });
      await room.connect(url, accessToken);
      await room.localParticipant.setMicrophoneEnabled(true);
      send({ type: "live" });
    },
    async stop() {
      if (room) await room.disconnect();
      finish();
    },
    mute(muted) {
      room?.localParticipant.setMicrophoneEnabled(!muted);
    },
  };
}

/** A sentence for whatever an SDK threw or emitted. */
function describe(error) {
  if (!error) return "the call failed for an unknown reason";
  if (typeof error === "string") return error;
  if (error.error) return describe(error.error);
  if (error.errorMsg) return String(error.errorMsg);
  if (error.message) return String(error.message);
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
