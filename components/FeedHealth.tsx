/** Per-venue feed health: state, rate, last message age, errors, gaps. */
import type { VenueHealth } from '@/lib/contract/health';
import { formatCount, formatList, numberFormat, t } from '@/lib/i18n';
import { formatAge } from '@/lib/ui/format';

const STATE_TEXT = {
  connected: 'feedConnected',
  degraded: 'feedDegraded',
  connecting: 'feedConnecting',
  down: 'feedDown',
} as const satisfies Record<VenueHealth['state'], string>;

export function FeedHealth({ feeds, now }: { feeds: VenueHealth[]; now: number }) {
  if (feeds.length === 0) return <p class="muted">{t('healthNoVenue')}</p>;
  return (
    <table class="feeds" aria-label={t('feedHealthName')}>
      <thead>
        <tr>
          <th scope="col">{t('colVenue')}</th>
          <th scope="col">{t('colStatus')}</th>
          <th scope="col" class="num">
            {t('colMessagesPerSec')}
          </th>
          <th scope="col" class="num">
            {t('colLast')}
          </th>
          <th scope="col" class="num">
            {t('colErrors')}
          </th>
          <th scope="col" class="num">
            {t('colGaps')}
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
            title={t('feedCounts', {
              frames: formatCount(f.frames),
              events: formatCount(f.events),
              skipped: formatCount(f.skipped),
              malformed: formatCount(f.errors),
              connection: formatCount(f.connectionErrors),
              reconnects: formatCount(f.reconnects),
            })}
          >
            <th scope="row">{f.label}</th>
            <td>
              <span class={`dot dot-${f.state}`} aria-hidden="true" />
              {t(STATE_TEXT[f.state])}
              {f.state !== 'connected' && f.lastError && (
                <div class="hint" title={f.lastError}>
                  {f.lastError}
                  {f.nextRetryAt ? ` · ${t('feedRetryIn', { age: formatAge(f.nextRetryAt - now) })}` : ''}
                </div>
              )}
              {!f.hasLiquidationFeed && <div class="hint">{t('feedNoLiquidations')}</div>}
              {f.hasLiquidationFeed && (
                <div class="hint" data-testid="feed-completeness" title={f.liquidationCompleteness.note}>
                  {t('feedLiquidations', {
                    kind: t(f.liquidationCompleteness.kind === 'complete' ? 'completenessComplete' : 'completenessSampled'),
                    note: f.liquidationCompleteness.note,
                  })}
                </div>
              )}
              {f.historyDepth && (
                <div class="hint" data-testid="feed-history">
                  {t('feedHistoryAtStart', { depth: f.historyDepth })}
                </div>
              )}
              {f.unlisted.length > 0 && (
                <div class="error-text" data-testid="feed-unlisted">
                  {t('feedUnlisted', { venue: f.label, symbols: formatList(f.unlisted, 'unit') })}
                </div>
              )}
            </td>
            <td class="num">{numberFormat(1, 1).format(f.messagesPerSec)}</td>
            <td class="num">{f.lastMessageAt ? formatAge(now - f.lastMessageAt) : '—'}</td>
            <td
              class="num"
              title={[
                t('feedErrorCounts', { malformed: formatCount(f.errors), connection: formatCount(f.connectionErrors) }),
                ...f.recentErrors,
              ].join('\n')}
            >
              {f.errors + f.connectionErrors}
            </td>
            <td class="num">{f.gaps.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
