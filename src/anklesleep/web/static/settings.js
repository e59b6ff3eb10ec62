import { disable, enable, enabled, supported } from "./reminders.js";

// Offer this device's time zone next to the time zone field (never sent without the user saving).
const field = document.getElementById("timezone");
const spot = document.getElementById("tz-device");
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (field && spot && zone && zone !== field.value) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-quiet";
  button.textContent = (spot.dataset.label ?? "{zone}").replace("{zone}", zone);
  button.addEventListener("click", () => { field.value = zone; field.focus(); });
  spot.append(button);
}

// Browser reminders: a button to ask for permission, and what the browser said.
const box = document.getElementById("browser-reminders");
const on = document.getElementById("reminders-on");
const off = document.getElementById("reminders-off");
const status = document.getElementById("reminders-status");

function show(state) {
  on.hidden = state === "on" || state === "unsupported";
  off.hidden = state !== "on";
  status.textContent = status.dataset[state] ?? "";
}

if (box && on && off && status) {
  box.hidden = false;
  if (!supported()) show("unsupported");
  else if (Notification.permission === "denied") show("denied");
  else show(enabled() ? "on" : "off");
  on.addEventListener("click", async () => {
    const answer = await enable();
    show(answer === "granted" ? "on" : answer === "unsupported" ? "unsupported" : answer === "denied" ? "denied" : "off");
  });
  off.addEventListener("click", () => { disable(); show("off"); });
}
