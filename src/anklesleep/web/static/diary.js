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

// Messages name clock times as 24-hour HH:MM; show them the way this browser's time inputs
// do (for example 2:30 AM), so a message or a hint reads like the field next to it.
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const HHMM = /\b([01]\d|2[0-3]):([0-5]\d)\b/g;
for (const message of document.querySelectorAll(".field-error, #form-error li a, .field .hint")) {
  const text = message.textContent || "";
  message.textContent = text.replace(HHMM, (_match, hours, minutes) =>
    clock.format(new Date(2000, 0, 1, Number(hours), Number(minutes))),
  );
}
