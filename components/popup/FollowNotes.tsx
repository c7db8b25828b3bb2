/** Why the quick view's coin is (or is not) streamed: followed for this view, waiting for room, unlisted, or one click from followed. */
import type { LiqSnapshot } from '@/lib/contract/snapshot';
import { venueLabels } from '@/lib/exchanges/catalog';
import { FOLLOW_PER_VENUE } from '@/lib/settings';
import { t } from '@/lib/i18n';
import type { InstrumentChoice } from './types';

export interface FollowNotesProps {
  coin: string;
  selection: string;
  follow?: LiqSnapshot['follow'];
  /** The instrument picked, when it is one the settings do not stream. */
  chosen?: InstrumentChoice;
  onPin?(coin: string): void;
  onFollow(choice: InstrumentChoice): void;
}

export function FollowNotes({ coin, selection, follow, chosen, onPin, onFollow }: FollowNotesProps) {
  const followedNow = follow?.followed.find((f) => f.coin === coin);
  const cappedNow = follow?.capped.find((c) => c.coin === coin);
  return (
    <>
      {followedNow && (
        <p class="notice" data-testid="follow-note">
          {t('followedWhileLooking', { coin, venues: venueLabels(followedNow.instruments.map((i) => i.split(':')[0])) })}{' '}
          {onPin && (
            <button type="button" class="link" data-testid="pin-coin" onClick={() => onPin(coin)}>
              {t('pinCoin', { coin })}
            </button>
          )}
        </p>
      )}
      {cappedNow && (
        <p class="notice" data-testid="follow-note">
          {t('followCapped', { coin, max: FOLLOW_PER_VENUE, venues: venueLabels(cappedNow.venues) })}
        </p>
      )}
      {follow?.unlisted.includes(coin) && (
        <p class="notice" data-testid="follow-note">
          {t('notFollowedUnlisted', { coin })}
        </p>
      )}
      {chosen && !chosen.followed && !followedNow && (
        <p class="notice">
          {t('notStreamedYet', { selection })}{' '}
          <button type="button" class="link" onClick={() => onFollow(chosen)}>
            {t('followIt')}
          </button>
        </p>
      )}
    </>
  );
}
