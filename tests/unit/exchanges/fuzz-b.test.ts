/** Parser fuzzing, the second half of the venues (tests/harness/fuzz.ts has the checks). */
import { describe, it } from 'vitest';
import { listVenues } from '../../../lib/exchanges';
import type { VenueAdapter } from '../../../lib/exchanges/types';
import { fuzzVenue } from '../../harness/fuzz';

describe('parser fuzzing', () => {
  it.each(
    listVenues()
      .slice(5)
      .map((v) => [v.id, v] as [string, VenueAdapter]),
  )(
    '%s survives 100 000 mutated frames, each counted',
    // CPU-bound (one to two seconds per venue here, more when files run side by side): an explicit budget.
    { timeout: 60_000 },
    (id, adapter) => fuzzVenue(id, adapter),
  );
});
