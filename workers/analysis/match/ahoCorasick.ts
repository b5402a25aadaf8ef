/**
 * Aho–Corasick automaton over UTF-16 code units: finds every occurrence of every pattern (overlaps included)
 * in one left-to-right pass, whatever the number of patterns.
 *
 * Transitions live in one Map keyed by state * 65536 + code unit, which keeps the automaton compact and
 * avoids a Map object per state.
 */
export type MatchHandler = (patternId: number, start: number, end: number) => void;

const NO_OUTPUT: readonly number[] = [];

export class AhoCorasick {
  private readonly transitions = new Map<number, number>();
  private readonly fail: Int32Array;
  private readonly outputs: (readonly number[])[];
  private readonly lengths: Int32Array;

  constructor(readonly patterns: readonly string[]) {
    const outputs: number[][] = [[]];
    let stateCount = 1;
    for (let id = 0; id < patterns.length; id++) {
      const pattern = patterns[id]!;
      if (pattern.length === 0) throw new Error('AhoCorasick: empty pattern');
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const key = state * 65536 + pattern.charCodeAt(i);
        let next = this.transitions.get(key);
        if (next === undefined) {
          next = stateCount++;
          this.transitions.set(key, next);
          outputs.push([]);
        }
        state = next;
      }
      outputs[state]!.push(id);
    }

    // Breadth-first: a state's failure link is the longest proper suffix of its path that is also a path.
    this.fail = new Int32Array(stateCount);
    const children: [number, number][][] = Array.from({ length: stateCount }, () => []);
    for (const [key, child] of this.transitions) children[Math.floor(key / 65536)]!.push([key % 65536, child]);
    const queue: number[] = [];
    for (const [, child] of children[0]!) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of children[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !this.transitions.has(f * 65536 + code)) f = this.fail[f]!;
        const target = this.transitions.get(f * 65536 + code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = outputs[this.fail[child]!]!;
        if (inherited.length > 0) outputs[child]!.push(...inherited);
        queue.push(child);
      }
    }
    this.outputs = outputs.map((o) => (o.length === 0 ? NO_OUTPUT : o));
    this.lengths = Int32Array.from(patterns, (p) => p.length);
  }

  /** Reports every occurrence inside text[from, to) in order of end offset. */
  scan(text: string, onMatch: MatchHandler, from = 0, to = text.length): void {
    const { transitions, fail, outputs, lengths } = this;
    let state = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      let next = transitions.get(state * 65536 + code);
      while (next === undefined && state !== 0) {
        state = fail[state]!;
        next = transitions.get(state * 65536 + code);
      }
      state = next ?? 0;
      const out = outputs[state]!;
      for (let k = 0; k < out.length; k++) {
        const id = out[k]!;
        onMatch(id, i + 1 - lengths[id]!, i + 1);
      }
    }
  }
}
