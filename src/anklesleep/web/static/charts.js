// Chart points: tapping, clicking or focusing one reads its value out under the chart (and to
// screen readers, through the live region). Each chart is one stop for the Tab key; the arrow
// keys, Home and End move between its points.

for (const chart of document.querySelectorAll(".chart")) {
  const points = [...chart.querySelectorAll(".pt[tabindex]")];
  const readout = chart.querySelector(".readout");
  if (!points.length || !readout) continue;
  let current = points.length - 1;
  points[current].setAttribute("tabindex", "0");
  const show = (index, focus) => {
    points[current].setAttribute("tabindex", "-1");
    points[current].classList.remove("on");
    current = Math.max(0, Math.min(points.length - 1, index));
    const point = points[current];
    point.setAttribute("tabindex", "0");
    point.classList.add("on");
    readout.textContent = point.getAttribute("aria-label") || "";
    if (focus) point.focus();
  };
  points.forEach((point, index) => {
    point.addEventListener("click", () => show(index, true));
    point.addEventListener("focus", () => show(index, false));
  });
  chart.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves) show(current + moves[event.key], true);
    else if (event.key === "Home") show(0, true);
    else if (event.key === "End") show(points.length - 1, true);
    else return;
    event.preventDefault();
  });
}
