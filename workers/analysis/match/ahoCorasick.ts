/**
 * Aho–Corasick automaton over UTF-16 code units: finds every occurrence of every pattern (overlaps included)
 * in one left-to-right pass, whatever the number of patterns.
 *
 * Transitions from the root are one array indexed by code unit (most characters of a text are read there);
 * the others live in one open-addressing hash table keyed by state * 65536 + code unit, in typed arrays,
 * which keeps the automaton compact and a lookup free of allocation and of Map's generic hashing.
 */
export type MatchHandler = (patternId: number, start: number, end: number) => void;

const NONE = -1;

/** The transitions of every state but the root: key state * 65536 + code → next state. */
class TransitionTable {
  private readonly keys: Int32Array;
  private readonly targets: Int32Array;
  private readonly shift: number;

  constructor(transitions: Map<number, number>) {
    const bits = Math.max(4, Math.ceil(Math.log2(transitions.size * 2 + 1)));
    this.keys = new Int32Array(1 << bits).fill(NONE);
    this.targets = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    const mask = this.keys.length - 1;
    for (const [key, target] of transitions) {
      let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (this.keys[i] !== NONE) i = (i + 1) & mask;
      this.keys[i] = key;
      this.targets[i] = target;
    }
  }

  /** The next state, or NONE. */
  get(key: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[i]!;
      if (k === key) return this.targets[i]!;
      if (k === NONE) return NONE;
      i = (i + 1) & mask;
    }
  }
}

export class AhoCorasick {
  private readonly rootNext = new Int32Array(65536);
  private readonly next: TransitionTable;
  private readonly fail: Int32Array;
  /** The patterns ending at state s are outputIds[outputStart[s] .. outputStart[s + 1]): one flat array, no list per state. */
  private readonly outputStart: Int32Array;
  private readonly outputIds: Int32Array;
  private readonly lengths: Int32Array;

  constructor(readonly patterns: readonly string[]) {
    const transitions = new Map<number, number>();
    const outputs: number[][] = [[]];
    let stateCount = 1;
    for (let id = 0; id < patterns.length; id++) {
      const pattern = patterns[id]!;
      if (pattern.length === 0) throw new Error('AhoCorasick: empty pattern');
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const key = state * 65536 + pattern.charCodeAt(i);
        let next = transitions.get(key);
        if (next === undefined) {
          next = stateCount++;
          transitions.set(key, next);
          outputs.push([]);
        }
        state = next;
      }
      outputs[state]!.push(id);
    }

    // keys state * 65536 + code must fit the table's 32-bit integers
    if (stateCount > 32767) throw new Error(`AhoCorasick: ${stateCount} states, at most 32767`);

    // Breadth-first: a state's failure link is the longest proper suffix of its path that is also a path.
    this.fail = new Int32Array(stateCount);
    const children: [number, number][][] = Array.from({ length: stateCount }, () => []);
    for (const [key, child] of transitions) children[Math.floor(key / 65536)]!.push([key % 65536, child]);
    const queue: number[] = [];
    for (const [, child] of children[0]!) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of children[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !transitions.has(f * 65536 + code)) f = this.fail[f]!;
        const target = transitions.get(f * 65536 + code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = outputs[this.fail[child]!]!;
        if (inherited.length > 0) outputs[child]!.push(...inherited);
        queue.push(child);
      }
    }
    for (const [code, child] of children[0]!) this.rootNext[code] = child;
    const deeper = new Map<number, number>();
    for (const [key, child] of transitions) if (key >= 65536) deeper.set(key, child);
    this.next = new TransitionTable(deeper);
    this.outputStart = new Int32Array(stateCount + 1);
    for (let state = 0; state < stateCount; state++) this.outputStart[state + 1] = this.outputStart[state]! + outputs[state]!.length;
    this.outputIds = Int32Array.from(outputs.flat());
    this.lengths = Int32Array.from(patterns, (p) => p.length);
  }

  /** Reports every occurrence inside text[from, to) in order of end offset. */
  scan(text: string, onMatch: MatchHandler, from = 0, to = text.length): void {
    const { rootNext, next, fail, outputStart, outputIds, lengths } = this;
    let state = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      let target = NONE;
      while (state !== 0) {
        target = next.get(state * 65536 + code);
        if (target !== NONE) break;
        state = fail[state]!;
      }
      state = state === 0 ? rootNext[code]! : target;
      for (let k = outputStart[state]!, end = outputStart[state + 1]!; k < end; k++) {
        const id = outputIds[k]!;
        onMatch(id, i + 1 - lengths[id]!, i + 1);
      }
    }
  }
}
