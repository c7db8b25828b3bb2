/** Number and time formatting shared by the popup, options page and overlay. */

/** `$1.23M`, `$45.6K`, `$789`. */
export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '−' : '';
  if (abs >= 1e9) return `${sign}$${(abs / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${sign}$${(abs / 1e3).toFixed(1)}K`;
  return `${sign}$${abs.toFixed(0)}`;
}

/** A price with as many decimals as its size needs: 97 123.5, 3 412.25, 0.02191. */
export function formatPrice(price: number): string {
  if (!Number.isFinite(price)) return '—';
  const abs = Math.abs(price);
  const decimals = abs >= 1000 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : Math.min(8, 2 - Math.floor(Math.log10(abs)) + 2);
  return price.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** `3 s`, `4 min`, `2 h` ago. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** HH:MM:SS in local time. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** "Nov 30 08:00" in local time: when a window starts, for "history since …" notes. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  const month = d.toLocaleString('en', { month: 'short' });
  return `${month} ${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
