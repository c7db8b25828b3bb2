/**
 * A view (a chart page's overlay, the popup) tells the background which coin it shows: when it
 * changes, again every VIEWER_HEARTBEAT_MS while it does, and `null` when it goes (unmount, or the
 * page being hidden away, which runs no cleanup). See lib/worker/coin-follow.ts.
 */
import { useEffect } from 'preact/hooks';
import { VIEWER_HEARTBEAT_MS } from '@/lib/contract/snapshot';

export function useWatchCoin(watch: ((coin: string | null) => void) | undefined, coin: string | null): void {
  useEffect(() => {
    if (!watch) return;
    watch(coin);
    const t = setInterval(() => watch(coin), VIEWER_HEARTBEAT_MS);
    const gone = () => watch(null);
    const back = () => watch(coin); // restored from the back-forward cache
    addEventListener('pagehide', gone);
    addEventListener('pageshow', back);
    return () => {
      clearInterval(t);
      removeEventListener('pagehide', gone);
      removeEventListener('pageshow', back);
      watch(null);
    };
  }, [watch, coin]);
}
