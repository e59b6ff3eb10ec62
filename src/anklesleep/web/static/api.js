// Small helpers shared by the page scripts: JSON calls with the CSRF token, and m:ss clocks.
const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export async function api(method, url, body, keepalive = false) {
  const headers = { Accept: "application/json", "X-Requested-With": "anklesleep" };
  const options = { method, headers, keepalive, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") options.headers["X-CSRF-Token"] = token;
  const response = await fetch(url, options);
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new Error(data?.error ?? `${response.status} ${response.statusText}`);
  return data;
}

export function clock(seconds) {
  const total = Math.max(0, Math.round(seconds));
  const m = Math.floor(total / 60), s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}
