/**
 * Two-click calibration for pages whose chart LiqLens cannot read: the user clicks two prices on the
 * page's price axis and types what each says. From then on bands are drawn on that page's scale
 * (saved per host). Esc cancels; nothing is saved until both prices are valid.
 */
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { Calibration } from '@/lib/settings';

interface Point {
  x: number;
  y: number;
  price?: number;
}

export function Calibrator(props: { onDone(c: Calibration): void; onCancel(): void }) {
  const [points, setPoints] = useState<Point[]>([]);
  const [log, setLog] = useState(false);
  const [error, setError] = useState('');
  const pending = points.find((p) => p.price === undefined);

  const click = (e: MouseEvent) => {
    if (pending || points.length >= 2) return;
    setPoints([...points, { x: e.clientX, y: e.clientY }]);
    setError('');
  };

  const submit = (value: string) => {
    const price = Number(value.replace(/[,\s]/g, ''));
    if (!(price > 0 && Number.isFinite(price))) return setError(t('calibrateTypePrice'));
    const next = points.map((p) => (p === pending ? { ...p, price } : p));
    if (next.length === 2 && next.every((p) => p.price !== undefined)) {
      const [a, b] = [...next].sort((p, q) => p.y - q.y);
      if (Math.abs(a.y - b.y) < 20) return setError(t('calibrateApart'));
      if (!(a.price! > b.price!)) return setError(t('calibrateOrder'));
      return props.onDone({
        y1: a.y,
        price1: a.price!,
        y2: b.y,
        price2: b.price!,
        axisX: Math.min(a.x, b.x),
        mode: log ? 'log' : 'linear',
      });
    }
    setPoints(next);
    setError('');
  };

  return (
    <div
      class="calibrator"
      data-testid="calibrator"
      onClick={click}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
      role="dialog"
      aria-label={t('calibrateName')}
    >
      <div class="bar" onClick={(e) => e.stopPropagation()}>
        <span>
          {points.length === 0 && t('calibrateStep1')}
          {points.length === 1 && !pending && t('calibrateStep2')}
          {pending && t('calibrateTypeThenEnter')}
        </span>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog((e.target as HTMLInputElement).checked)} /> {t('logScale')}
        </label>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        {error && <span class="error">{error}</span>}
      </div>
      {points.map((p, i) => (
        <div key={i} class="mark" style={{ top: `${p.y}px` }} />
      ))}
      {pending && (
        <form
          class="price-input"
          style={{ top: `${pending.y + 6}px`, left: `${Math.max(8, pending.x - 180)}px` }}
          onClick={(e) => e.stopPropagation()}
          onSubmit={(e) => {
            e.preventDefault();
            submit(((e.target as HTMLFormElement).elements.namedItem('price') as HTMLInputElement).value);
          }}
        >
          <input
            name="price"
            inputMode="decimal"
            aria-label={t('calibratePriceAtLine')}
            placeholder={t('calibratePriceAtLine')}
            autoFocus
          />
          <button type="submit">{t('ok')}</button>
        </form>
      )}
    </div>
  );
}
