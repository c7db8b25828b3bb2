/** Per-venue feed health: state, rate, last message age, errors, gaps. */
import type { VenueHealth } from '@/lib/contract/health';
import { formatAge } from '@/lib/ui/format';

const STATE_TEXT: Record<VenueHealth['state'], string> = {
  connected: 'Connected',
  degraded: 'Partly connected',
  connecting: 'Connecting…',
  down: 'Disconnected',
};

export function FeedHealth({ feeds, now }: { feeds: VenueHealth[]; now: number }) {
  if (feeds.length === 0) return <p class="muted">No venue enabled. Turn one on in Options.</p>;
  return (
    <table class="feeds" aria-label="Feed health">
      <thead>
        <tr>
          <th scope="col">Venue</th>
          <th scope="col">Status</th>
          <th scope="col" class="num">
            msg/s
          </th>
          <th scope="col" class="num">
            Last
          </th>
          <th scope="col" class="num">
            Errors
          </th>
          <th scope="col" class="num">
            Gaps
          </th>
        </tr>
      </thead>
      <tbody>
        {feeds.map((f) => (
          <tr
            key={f.venue}
            data-testid="feed-row"
            data-venue={f.venue}
            data-state={f.state}
            data-frames={f.frames}
            data-errors={f.errors + f.connectionErrors}
            title={`${f.frames} frames: ${f.events} events, ${f.skipped} skipped, ${f.errors} malformed · ${f.connectionErrors} connection errors · ${f.reconnects} reconnects`}
          >
            <th scope="row">{f.label}</th>
            <td>
              <span class={`dot dot-${f.state}`} aria-hidden="true" />
              {STATE_TEXT[f.state]}
              {f.state !== 'connected' && f.lastError && (
                <div class="hint" title={f.lastError}>
                  {f.lastError}
                  {f.nextRetryAt ? ` · retry in ${formatAge(f.nextRetryAt - now)}` : ''}
                </div>
              )}
              {!f.hasLiquidationFeed && <div class="hint">No public liquidation feed: estimates only.</div>}
              {f.hasLiquidationFeed && (
                <div class="hint" data-testid="feed-completeness" title={f.liquidationCompleteness.note}>
                  Liquidations: {f.liquidationCompleteness.kind === 'complete' ? 'complete' : 'a sample'} ({f.liquidationCompleteness.note})
                </div>
              )}
              {f.historyDepth && (
                <div class="hint" data-testid="feed-history">
                  History at start: {f.historyDepth}
                </div>
              )}
              {f.unlisted.length > 0 && (
                <div class="error-text" data-testid="feed-unlisted">
                  Not listed on {f.label}: {f.unlisted.join(', ')}. Check the symbol under Options → {f.label}.
                </div>
              )}
            </td>
            <td class="num">{f.messagesPerSec.toFixed(1)}</td>
            <td class="num">{f.lastMessageAt ? formatAge(now - f.lastMessageAt) : '—'}</td>
            <td class="num" title={[`${f.errors} malformed frames, ${f.connectionErrors} connection errors`, ...f.recentErrors].join('\n')}>
              {f.errors + f.connectionErrors}
            </td>
            <td class="num">{f.gaps.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
