// Browser reminders: while any page of the app is open, and once the person has allowed it,
// show a notification at each enabled slot's time unless that slot is already done.
// The times come from the server (/api/today), so they follow the slot settings and time zone.
const KEY = "anklesleep-browser-reminders";
const MAX_WAIT_MS = 2 ** 31 - 1; // setTimeout's limit (about 24.8 days)
let pending = null;

export function supported() {
  return "Notification" in window && window.isSecureContext;
}

export function enabled() {
  return supported() && Notification.permission === "granted" && localStorage.getItem(KEY) === "on";
}

async function today() {
  const response = await fetch("/api/today", { headers: { Accept: "application/json" }, credentials: "same-origin" });
  return response.ok ? response.json() : null;
}

export async function plan() {
  if (pending !== null) clearTimeout(pending);
  pending = null;
  if (!enabled()) return null;
  const data = await today();
  const next = (data?.reminders ?? []).find((r) => !r.done);
  if (!next) return null;
  const wait = Date.parse(next.at) - Date.now();
  if (wait > MAX_WAIT_MS) return null;
  pending = setTimeout(() => remind(next), Math.max(0, wait));
  return next;
}

async function remind(reminder) {
  pending = null;
  const data = await today(); // the session may have been done since the reminder was planned
  const slot = data?.slots?.find((s) => s.slot === reminder.slot);
  if (enabled() && !(slot && slot.status === "done")) {
    const note = new Notification(reminder.title, { body: reminder.body, tag: `anklesleep-${reminder.slot}`, icon: "/static/icon.svg" });
    note.onclick = () => { window.focus(); window.location.href = reminder.url; };
  }
  setTimeout(plan, 60_000); // then plan the one after, once this minute has passed
}

export async function enable() {
  if (!supported()) return "unsupported";
  const answer = await Notification.requestPermission();
  if (answer !== "granted") return answer;
  localStorage.setItem(KEY, "on");
  await plan();
  return "granted";
}

export function disable() {
  localStorage.removeItem(KEY);
  if (pending !== null) clearTimeout(pending);
  pending = null;
}

plan();
