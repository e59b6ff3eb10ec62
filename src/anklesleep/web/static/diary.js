// The diary's note fields: a live "n of limit characters" line under each one, which turns
// into a warning past the limit (the server refuses a longer note; nothing is cut silently).

for (const area of document.querySelectorAll("textarea[data-limit]")) {
  const limit = Number(area.dataset.limit);
  const counter = document.getElementById(area.getAttribute("aria-describedby") || "");
  if (!counter) continue;
  const first = counter.textContent || "";
  const update = () => {
    const count = area.value.length;
    counter.textContent = first.replace(/^\d+/, String(count));
    counter.classList.toggle("error", count > limit);
  };
  area.addEventListener("input", update);
  update();
}
