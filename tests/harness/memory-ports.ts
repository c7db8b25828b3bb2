/**
 * The worker core's ports in memory, for Node tests: storage areas as maps, a settings item, a
 * history database (fake-indexeddb behind the real adapter, or none), scripted sockets the test
 * feeds frame by frame, a fetch that answers from a route table, and records of what was notified
 * and published. Time is a FakeClock.
 */
import type { FiredAlert, RealizedLiquidation } from '../../lib/contract/market';
import type { WebSocketLike } from '../../lib/net/feed-connection';
import type { FetchLike } from '../../lib/net/rest-poller';
import type { LiqSnapshot } from '../../lib/contract/snapshot';
import { defaultSettings, sanitizeSettings, type Settings } from '../../lib/settings';
import type { HistoryDatabase, KeyValueStore, ListenerId, WorkerPorts } from '../../lib/worker/ports';
import { FakeClock } from './fake-clock';

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  /** Keys written, one per key (a setMany of three is three). */
  writes = 0;
  /** Calls into the store (a setMany of three is one): what a write costs in the browser. */
  calls = 0;
  failWith: Error | null = null;
  /** Sees every key written, by set or setMany. */
  onWrite?: (key: string, value: unknown) => void;
  async get(key: string) {
    return structuredClone(this.data.get(key));
  }
  async set(key: string, value: unknown) {
    if (this.failWith) throw this.failWith;
    this.calls += 1;
    this.write(key, value);
  }
  async setMany(values: Record<string, unknown>) {
    if (this.failWith) throw this.failWith;
    this.calls += 1;
    for (const [key, value] of Object.entries(values)) this.write(key, value);
  }
  private write(key: string, value: unknown) {
    this.writes += 1;
    this.onWrite?.(key, value);
    this.data.set(key, structuredClone(value));
  }
}

/** A socket the test drives: `open()`, `receive(frame)`, `drop(code)`; what the client sent is in `sent`. */
export class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: string) {
    this.onmessage?.({ data: frame });
  }
  drop(code = 1006) {
    this.close(code, 'dropped by test');
  }
}

export interface MemoryPorts {
  ports: WorkerPorts;
  clock: FakeClock;
  session: MemoryStore;
  local: MemoryStore;
  /** The stored settings item (what a UI watching storage would read). */
  stored(): Settings;
  sockets: ScriptedSocket[];
  /** The newest socket whose URL contains `part`. */
  socket(part: string): ScriptedSocket;
  notified: FiredAlert[];
  published: { listener: ListenerId; snapshot: LiqSnapshot }[];
  /** Realized liquidations pushed between snapshots, with when (fake clock). */
  realizedPushes: { listener: ListenerId; liquidations: RealizedLiquidation[]; at: number }[];
  /** Listeners that answer "no more" (a tab that navigated away). */
  refusing: Set<ListenerId>;
  settingsWrites: number;
}

export function memoryPorts(
  options: {
    settings?: Settings;
    clock?: FakeClock;
    session?: MemoryStore;
    local?: MemoryStore;
    history?: () => Promise<HistoryDatabase>;
    fetch?: FetchLike;
  } = {},
): MemoryPorts {
  let stored: Settings = structuredClone(options.settings ?? defaultSettings());
  const clock = options.clock ?? new FakeClock();
  const session = options.session ?? new MemoryStore();
  const local = options.local ?? new MemoryStore();
  const sockets: ScriptedSocket[] = [];
  const result: MemoryPorts = {
    clock,
    session,
    local,
    sockets,
    notified: [],
    published: [],
    realizedPushes: [],
    refusing: new Set(),
    settingsWrites: 0,
    stored: () => structuredClone(stored),
    socket(part) {
      const found = [...sockets].reverse().find((s) => s.url.includes(part));
      if (!found) throw new Error(`no socket to a URL with "${part}" (have: ${sockets.map((s) => s.url).join(', ') || 'none'})`);
      return found;
    },
    ports: {
      socket: (url) => {
        const s = new ScriptedSocket(url);
        sockets.push(s);
        return s;
      },
      // Every venue's REST is down unless a test says otherwise: no test reaches the internet.
      fetch: options.fetch ?? (async () => ({ status: 503, headers: { get: () => null }, text: async () => '{"error":"down"}' })),
      clock,
      session,
      local,
      settings: {
        load: async () => sanitizeSettings(structuredClone(stored)).settings,
        save: async (s) => {
          result.settingsWrites += 1;
          stored = structuredClone(s);
        },
      },
      openHistory: options.history ?? (async () => Promise.reject(new Error('no history database in this test'))),
      notify: async (alert) => void result.notified.push(alert),
      publish: async (snapshot, listener) => {
        result.published.push({ listener, snapshot });
        return !result.refusing.has(listener);
      },
      pushRealized: async (liquidations, listener) => {
        result.realizedPushes.push({ listener, liquidations, at: clock.now() });
        return !result.refusing.has(listener);
      },
      syncRunTimeSites: async () => [],
    },
  };
  return result;
}

/** Settings with only the given venues on (and their symbols), every other venue off. */
export function onlyVenues(venues: Partial<Record<keyof Settings['venues'], string[]>>, base = defaultSettings()): Settings {
  const s = structuredClone(base);
  for (const [id, v] of Object.entries(s.venues)) {
    const symbols = venues[id as keyof Settings['venues']];
    v!.enabled = symbols !== undefined;
    if (symbols) v!.symbols = symbols;
  }
  return s;
}
