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

// Messages name clock times as 24-hour HH:MM and dates as YYYY-MM-DD; show them the way this
// browser's time and date inputs do (for example 2:30 AM, Mar 8, 2026), so a message or a hint
// reads like the field next to it.
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const calendar = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const HHMM = /\b([01]\d|2[0-3]):([0-5]\d)\b/g;
const ISO_DATE = /\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g;
for (const message of document.querySelectorAll(".field-error, #form-error li a, .field .hint")) {
  const text = message.textContent || "";
  message.textContent = text
    .replace(ISO_DATE, (_match, year, month, day) =>
      calendar.format(new Date(Number(year), Number(month) - 1, Number(day))),
    )
    .replace(HHMM, (_match, hours, minutes) =>
      clock.format(new Date(2000, 0, 1, Number(hours), Number(minutes))),
    );
}
