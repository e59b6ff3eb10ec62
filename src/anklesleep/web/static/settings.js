// Offer this device's time zone next to the time zone field (never sent without the user saving).
const field = document.getElementById("timezone");
const spot = document.getElementById("tz-device");
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (field && spot && zone && zone !== field.value) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-quiet";
  button.textContent = `Use this device's: ${zone}`;
  button.addEventListener("click", () => { field.value = zone; field.focus(); });
  spot.append(button);
}
