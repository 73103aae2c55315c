// The agent wizard's few things that need a script (the form works without it):
// a variable chip inserts `{{name}}` where the prompt's cursor is, the voice lists can be
// searched and filtered by gender, and a voice can be previewed (its sample, or else the
// browser's own speech at the chosen speed).
const form = document.querySelector("[data-testid=agent-form]");
if (form) {
  const prompt = form.querySelector("#field-system-prompt");
  form.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-insert]");
    if (chip && prompt) {
      const { selectionStart: start, selectionEnd: end, value } = prompt;
      const token = chip.dataset.insert;
      prompt.value = value.slice(0, start) + token + value.slice(end);
      prompt.focus();
      prompt.setSelectionRange(start + token.length, start + token.length);
      return;
    }
    const preview = event.target.closest("[data-preview]");
    if (preview) play(preview);
  });

  const play = (button) => {
    if (button.dataset.previewUrl) {
      new Audio(button.dataset.previewUrl).play().catch(() => {});
      return;
    }
    if (!("speechSynthesis" in window)) return;
    const line = new SpeechSynthesisUtterance(`Hi, I'm ${button.dataset.preview}. How can I help you today?`);
    line.rate = Number(form.querySelector("[name=voice_speed]")?.value) || 1;
    line.pitch = button.dataset.gender === "female" ? 1.3 : 0.8;
    speechSynthesis.cancel();
    speechSynthesis.speak(line);
  };
  for (const button of form.querySelectorAll("[data-preview]")) button.hidden = false;

  const filters = form.querySelector("[data-voice-filters]");
  if (filters) {
    filters.hidden = false;
    const search = filters.querySelector("[name=voice-search]");
    const gender = filters.querySelector("[name=voice-gender]");
    const apply = () => {
      const needle = search.value.trim().toLowerCase();
      for (const option of form.querySelectorAll("[data-voice-option]")) {
        const fits =
          (!gender.value || option.dataset.gender === gender.value) &&
          (!needle || option.dataset.search.includes(needle));
        option.hidden = !fits;
      }
    };
    search.addEventListener("input", apply);
    gender.addEventListener("change", apply);
  }
}
