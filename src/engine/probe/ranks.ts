/**
 * The probed processes of one run seen as one probe: a single process, or every rank a launcher
 * (torchrun, accelerate launch …) started. Control lines go to every rank — the same LR for step i
 * everywhere — and a stop carries the step it takes effect at, so that all ranks end at the same
 * step (none is left waiting in a collective for a rank that stopped). Events come back merged:
 * one step event per step once every rank has reported it, its loss the mean over the ranks;
 * notes and suppressed paths once; the first error, naming its rank; the end once every rank ended.
 */
import type { ProbeConnection } from './link';
import type { ControlMessage, ProbeEvent } from './wire';

type StepEvent = Extract<ProbeEvent, { event: 'step' }>;
type StopEvent = Extract<ProbeEvent, { event: 'stop' }>;
type HelloEvent = Extract<ProbeEvent, { event: 'hello' }>;

export interface RankHandlers {
  /** The merged events, as from one process. */
  onEvent(event: ProbeEvent): void;
  onBadEvent(problem: string): void;
  /** Every expected rank has connected (the key may go). */
  onAllConnected(): void;
}

export class Ranks {
  private readonly ranks = new Map<number, ProbeConnection>();
  private readonly steps = new Map<number, StepEvent[]>();
  private readonly hellos = new Map<number, HelloEvent>();
  private readonly stops = new Map<number, StopEvent>();
  private readonly notes = new Set<string>();
  private readonly suppressed = new Set<string>();
  private world: number | null;
  /** Control lines sent before every rank was there: replayed to each rank that connects. */
  private history: ControlMessage[] | null = [];
  private valuesSent = 0;
  private stopped = false;
  private failed = false;
  private processes = 0;

  /** `world`: the number of processes to expect (1 without a launcher); null: as the ranks say (WORLD_SIZE). */
  constructor(world: number | null, private readonly handlers: RankHandlers) {
    this.world = world;
  }

  get size(): number | null {
    return this.world;
  }

  /** The connections still open (their processes alive). */
  open(): ProbeConnection[] {
    return [...this.ranks.values()].filter((c) => c.open);
  }

  connect(connection: ProbeConnection): void {
    const world = (this.world ??= connection.worldSize);
    const rank = world === 1 ? 0 : connection.rank;
    if (world !== 1 && connection.worldSize !== world) {
      return this.refuse(connection, `rank ${connection.rank} says WORLD_SIZE=${connection.worldSize}, rank 0 of this run ${world}`);
    }
    if (rank < 0 || rank >= world || this.ranks.has(rank)) {
      const why = this.ranks.has(rank) ? 'connected twice (did the launcher restart its workers? restarts are not supported)' : `is outside WORLD_SIZE=${world}`;
      return this.refuse(connection, `rank ${connection.rank} ${why}`);
    }
    this.ranks.set(rank, connection);
    for (const message of this.history ?? []) connection.send(message);
    if (this.ranks.size === world) {
      this.history = null;
      this.handlers.onAllConnected();
      for (const c of this.ranks.values()) c.send({ go: true });
    }
  }

  /** Sends one control line to every rank; a stop of several ranks takes effect at the first step not yet given values. */
  send(message: ControlMessage): void {
    if (this.stopped) return;
    let line = message;
    if ('stop' in message) {
      this.stopped = true;
      if (this.world !== 1) line = { ...message, at: this.valuesSent };
    } else {
      this.valuesSent++;
    }
    this.history?.push(line);
    for (const connection of this.ranks.values()) connection.send(line);
  }

  event(connection: ProbeConnection, event: ProbeEvent): void {
    const rank = this.rankOf(connection);
    if (rank === null) return;
    const several = this.world !== 1;
    switch (event.event) {
      case 'connect':
        return this.handlers.onBadEvent(`rank ${rank} sent a second connect`);
      case 'hello':
        this.hellos.set(rank, event);
        if (this.hellos.size === this.world) this.handlers.onEvent({ ...this.hellos.get(0)!, ...(several ? { worldSize: this.world } : {}) });
        return;
      case 'step':
        return this.step(rank, event);
      case 'skip':
        if (rank === 0) this.handlers.onEvent(event);
        return;
      case 'note':
        if (this.notes.has(event.text)) return;
        this.notes.add(event.text);
        return this.handlers.onEvent(event);
      case 'suppressed':
        if (this.suppressed.has(event.path)) return;
        this.suppressed.add(event.path);
        return this.handlers.onEvent(event);
      case 'processes':
        if (event.started <= this.processes) return;
        this.processes = event.started;
        return this.handlers.onEvent(event);
      case 'stop':
        this.stops.set(rank, event);
        return this.maybeEnded();
      case 'error':
        if (this.failed) return;
        this.failed = true;
        return this.handlers.onEvent(several ? { ...event, message: `rank ${rank}: ${event.message}` } : event);
    }
  }

  closed(): void {
    this.maybeEnded();
  }

  private step(rank: number, event: StepEvent): void {
    const queue = this.steps.get(event.step) ?? [];
    queue[rank] = event;
    this.steps.set(event.step, queue);
    const world = this.world ?? 1;
    if (queue.filter(Boolean).length < world) return;
    this.steps.delete(event.step);
    if (world === 1) return this.handlers.onEvent(event);
    const first = queue[0]!;
    const missing = queue.find((e) => e.loss === null);
    if (missing) return this.handlers.onEvent({ ...first, loss: null, ...(missing.lossProblem ? { lossProblem: missing.lossProblem } : {}) });
    const loss = queue.reduce((sum, e) => sum + (e.loss as number), 0) / world;
    this.handlers.onEvent({ ...first, loss });
  }

  /** The end, once every rank that connected has ended: a stop only when each said how it ended. */
  private maybeEnded(): void {
    if (this.ranks.size === 0 || this.open().length > 0 || this.stops.size === 0) return;
    if (this.stops.size < this.ranks.size) return; // a rank died without a word: the exit status tells
    const all = [...this.stops.values()];
    const stopped = all.find((s) => s.reason === 'stopped');
    this.handlers.onEvent({ ...(stopped ?? all[0]!), steps: Math.min(...all.map((s) => s.steps)) });
    this.stops.clear();
  }

  private rankOf(connection: ProbeConnection): number | null {
    for (const [rank, c] of this.ranks) if (c === connection) return rank;
    return null;
  }

  private refuse(connection: ProbeConnection, problem: string): void {
    this.handlers.onBadEvent(problem);
    connection.close();
  }
}
