// Sends a tracker export to /sleep/import as the raw file (the page's CSRF token in a header),
// then shows the one-line answer and reloads the night with the report.
const form = document.getElementById("import-sleep");
if (form) {
  const result = document.getElementById("import-result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector('input[type="file"]');
    const file = input && input.files && input.files[0];
    if (!file) {
      input.focus();
      return;
    }
    const button = form.querySelector("button");
    button.disabled = true;
    result.textContent = form.dataset.reading || "…";
    try {
      const answer = await fetch(`/sleep/import?name=${encodeURIComponent(file.name)}`, {
        method: "POST",
        headers: { "X-CSRF-Token": form.dataset.csrf, "Content-Type": "application/octet-stream" },
        body: file,
      });
      const data = await answer.json().catch(() => ({ error: answer.statusText }));
      if (!answer.ok) {
        result.textContent = data.error || answer.statusText;
        result.classList.add("error");
        return;
      }
      const night = form.dataset.night;
      location.assign(`/sleep?night=${night}&imported=${encodeURIComponent(data.summary)}`);
    } finally {
      button.disabled = false;
    }
  });
}
