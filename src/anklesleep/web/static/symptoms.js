// "Same as last time": one tap gives every complaint the score it had last time (the page
// lists each one's last score and date), ready to change before saving. Without script the
// button stays hidden and the form works as before.

const button = document.querySelector("[data-testid=same-as-before]");
const status = document.querySelector("[data-testid=same-status]");
if (button instanceof HTMLButtonElement) {
  button.hidden = false;
  button.addEventListener("click", () => {
    for (const set of document.querySelectorAll("fieldset[data-before]")) {
      const score = set.getAttribute("data-before");
      const radio = set.querySelector(`input[type=radio][value="${score}"]`);
      if (radio instanceof HTMLInputElement) {
        radio.checked = true;
      }
    }
    if (status) status.textContent = button.dataset.done || "";
  });
}
