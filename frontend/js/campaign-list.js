// Step 2 of the campaign wizard (app/src/campaigns/ui/steps.rs, `RecipientsStep`): once a
// list is chosen, its columns are shown with what each will hold (read from the file's
// first lines in the browser, guessed by the server, changeable), and the file is sent as
// the request's body with a progress bar; the server answers with the step again, as it
// does for the plain form. Without this script the form posts the file as a plain
// multipart form and the server guesses the columns alone.

const USES = [
  ["phone", "Phone number"],
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["name", "Full name"],
  ["email", "Email"],
  ["company", "Company"],
  ["time_zone", "Time zone"],
];

/** The first `count` records of CSV `text` (quotes and doubled quotes understood). */
function records(text, count) {
  const out = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && out.length < count; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      out.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (out.length < count && (field || row.length)) out.push([...row, field]);
  return out;
}

function option(value, label, selected) {
  const el = document.createElement("option");
  el.value = value;
  el.textContent = label;
  el.selected = value === selected;
  return el;
}

/** The table of columns, each with a choice of what it holds. */
function columnsTable(guesses, example) {
  const table = document.createElement("table");
  table.className = "w-full text-sm";
  table.dataset.testid = "column-map";
  const caption = table.createCaption();
  caption.className = "mb-2 text-left font-medium";
  caption.textContent = "What each column holds";
  const body = table.createTBody();
  guesses.forEach((g, i) => {
    const tr = body.insertRow();
    const name = tr.insertCell();
    name.className = "py-1 pr-3 font-medium";
    name.textContent = g.header || `Column ${i + 1}`;
    const sample = tr.insertCell();
    sample.className = "py-1 pr-3 text-xs text-muted";
    sample.textContent = example[i] ?? "";
    const cell = tr.insertCell();
    const select = document.createElement("select");
    select.className = "rounded-md border border-line bg-surface px-2 py-1 text-sm";
    select.setAttribute("aria-label", `${g.header || `Column ${i + 1}`} holds`);
    for (const [value, label] of USES) select.append(option(value, label, g.guess));
    if (g.variable) select.append(option(`var:${g.variable}`, `Variable {{${g.variable}}}`, g.guess));
    select.append(option("skip", "Ignore", g.guess));
    cell.append(select);
  });
  return table;
}

async function showColumns(form, file) {
  const box = form.querySelector("[data-columns]");
  box.hidden = true;
  box.replaceChildren();
  if (!file) return;
  const [header, example = []] = records(await file.slice(0, 65536).text(), 2);
  if (!header || header.every((h) => !h.trim())) return;
  header[0] = header[0].replace(/^\uFEFF/, "");
  const response = await fetch("/api/campaigns/columns", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ slug: form.dataset.slug, id: form.dataset.id, headers: header }),
  });
  // The server reads the file anyway and names what is wrong with it.
  if (!response.ok) return;
  box.append(columnsTable(await response.json(), example));
  box.hidden = false;
}

function megabytes(bytes) {
  return (bytes / 1048576).toFixed(1);
}

/** Sends the file as the body, showing its progress; the answer is the step again. */
function upload(form, file) {
  const progress = form.querySelector("[data-progress]");
  const bar = progress.querySelector("progress");
  const note = progress.querySelector("p");
  const button = form.querySelector("button[type=submit]");
  const params = new URLSearchParams({ file: file.name });
  const choices = [...form.querySelectorAll("[data-columns] select")].map((s) => s.value);
  if (choices.length) params.set("map", choices.join(","));
  const xhr = new XMLHttpRequest();
  xhr.open("POST", `${form.action}?${params}`);
  xhr.setRequestHeader("content-type", "text/csv");
  xhr.setRequestHeader("accept", "text/html");
  xhr.setRequestHeader("x-upload", "progress");
  xhr.upload.onprogress = (e) => {
    if (!e.lengthComputable) return;
    bar.value = Math.round((e.loaded / e.total) * 100);
    note.textContent = `Sending the list: ${megabytes(e.loaded)} of ${megabytes(e.total)} MB`;
  };
  xhr.upload.onload = () => {
    bar.removeAttribute("value");
    note.textContent = "Reading the list on the server…";
  };
  const failed = (why) => {
    note.textContent = why;
    bar.value = 0;
    button.disabled = false;
    form.removeAttribute("aria-busy");
  };
  // The server answers where to go (the step again, saying what was imported or why not)
  // or, for what the step cannot show, an error with its reason.
  xhr.onload = () => {
    let body = {};
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      // Plain text: the reason itself.
    }
    if (xhr.status < 400 && body.location) {
      location.assign(body.location);
      return;
    }
    const why = typeof body.detail === "string" ? body.detail : (body.detail?.message ?? xhr.responseText);
    failed(why.trim().slice(0, 300) || `The list was refused (${xhr.status}).`);
  };
  xhr.onerror = () => failed("The list could not be sent. Check the connection and try again.");
  progress.hidden = false;
  bar.value = 0;
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  xhr.send(file);
}

const form = document.querySelector("[data-testid=import-form]");
if (form) {
  const input = form.querySelector("input[type=file]");
  input.addEventListener("change", () => showColumns(form, input.files[0]).catch(() => {}));
  form.addEventListener("submit", (event) => {
    const file = input.files[0];
    if (!file) return;
    event.preventDefault();
    upload(form, file);
  });
}
