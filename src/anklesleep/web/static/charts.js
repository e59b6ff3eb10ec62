// Chart points: tapping or clicking a chart reads out the value of the point nearest to the
// finger (points can be a few pixels apart on a phone), under the chart and to screen readers
// through the live region. Each chart is one stop for the Tab key; the arrow keys, Home and End
// move between its points.

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
    if (focus) point.focus({ preventScroll: true });
  };
  const nearest = (x, y, within) => {
    let best = -1;
    let distance = Infinity;
    points.forEach((point, index) => {
      if (within && !within.contains(point)) return;
      const box = point.getBoundingClientRect();
      const d = (box.left + box.width / 2 - x) ** 2 + ((box.top + box.height / 2 - y) / 3) ** 2;
      if (d < distance) {
        distance = d;
        best = index;
      }
    });
    return best;
  };
  chart.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const area = target?.closest(".plot, .cal");
    if (!area) return;
    const index = nearest(event.clientX, event.clientY, area);
    if (index >= 0) show(index, true);
  });
  points.forEach((point, index) => point.addEventListener("focus", () => show(index, false)));
  chart.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves) show(current + moves[event.key], true);
    else if (event.key === "Home") show(0, true);
    else if (event.key === "End") show(points.length - 1, true);
    else return;
    event.preventDefault();
  });
}
