/**
 * L2-regularised logistic regression over sparse hashed features: a binary model (does the sentence breach
 * any item?) and one binary model per item, each against all other items (which item?). Trained with
 * AdaGrad in a seeded, fixed order, so the same examples always give the same weights.
 */
import type { SparseVector } from './features.js';

/** An example in the model's own feature rows (buckets outside the vocabulary dropped). */
export interface RowExample {
  rows: Int32Array;
  values: Float32Array;
  /** 0/1 for the binary model, the class index for the per-class models. */
  label: number;
  weight: number;
}

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /**
   * Models trained, each in its own seeded order (seed, seed + 1, …), whose weights are averaged: the order
   * of one run alone moves single real clauses across the threshold and the item model's first choice.
   */
  runs: number;
}

/** Buckets kept as rows of the model: those present in at least `minCount` examples. */
export class Vocabulary {
  readonly buckets: Int32Array;
  private readonly rowOf: Map<number, number>;

  constructor(buckets: Iterable<number>) {
    this.buckets = Int32Array.from(new Set(buckets)).sort();
    this.rowOf = new Map(Array.from(this.buckets, (b, i) => [b, i]));
  }

  static fromExamples(vectors: SparseVector[], minCount: number): Vocabulary {
    const counts = new Map<number, number>();
    for (const v of vectors) for (const b of v.index) counts.set(b, (counts.get(b) ?? 0) + 1);
    const kept: number[] = [];
    for (const [b, c] of counts) if (c >= minCount) kept.push(b);
    return new Vocabulary(kept);
  }

  get size(): number {
    return this.buckets.length;
  }

  row(bucket: number): number {
    return this.rowOf.get(bucket) ?? -1;
  }

  toRows(v: SparseVector, label: number, weight = 1): RowExample {
    const rows: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < v.index.length; i++) {
      const r = this.row(v.index[i]!);
      if (r >= 0) {
        rows.push(r);
        values.push(v.value[i]!);
      }
    }
    return { rows: Int32Array.from(rows), values: Float32Array.from(values), label, weight };
  }
}

/** mulberry32: a small seeded generator, so the training order is the same on every machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffledOrder(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Weights of a binary model: `weights[row]`, and the bias. */
export interface BinaryWeights {
  bias: number;
  weights: Float64Array;
}

export function trainBinary(examples: RowExample[], rowCount: number, opts: TrainingOptions): BinaryWeights {
  const average: BinaryWeights = { bias: 0, weights: new Float64Array(rowCount) };
  for (let run = 0; run < opts.runs; run++) {
    const model = trainBinaryOnce(examples, rowCount, { ...opts, seed: opts.seed + run });
    average.bias += model.bias / opts.runs;
    for (let r = 0; r < rowCount; r++) average.weights[r]! += model.weights[r]! / opts.runs;
  }
  return average;
}

function trainBinaryOnce(examples: RowExample[], rowCount: number, opts: TrainingOptions): BinaryWeights {
  const weights = new Float64Array(rowCount);
  const squares = new Float64Array(rowCount).fill(1e-8);
  let bias = 0;
  let biasSquares = 1e-8;
  const random = seededRandom(opts.seed);
  const decay = opts.l2 / Math.max(1, examples.length);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const k of shuffledOrder(examples.length, random)) {
      const ex = examples[k]!;
      let z = bias;
      for (let i = 0; i < ex.rows.length; i++) z += weights[ex.rows[i]!]! * ex.values[i]!;
      const g = (sigmoid(z) - ex.label) * ex.weight;
      for (let i = 0; i < ex.rows.length; i++) {
        const r = ex.rows[i]!;
        const grad = g * ex.values[i]! + decay * weights[r]!;
        squares[r]! += grad * grad;
        weights[r]! -= (opts.learningRate * grad) / Math.sqrt(squares[r]!);
      }
      biasSquares += g * g;
      bias -= (opts.learningRate * g) / Math.sqrt(biasSquares);
    }
  }
  return { bias, weights };
}

/** Weights of one binary model per class: `weights[row * classes + c]`, and a bias per class. */
export interface ClassWeights {
  classes: number;
  bias: Float64Array;
  weights: Float64Array;
}

/**
 * One binary model per class, each telling its class from all the others (one-vs-rest), averaged over
 * `opts.runs` seeded orders like `trainBinary`. Every class sees the examples in the same order, so class c
 * gets exactly the weights `trainBinary` would give for "label is c"; the classes are trained side by side
 * only because their weights for one row then sit together in memory.
 */
export function trainOneVsRest(examples: RowExample[], rowCount: number, classes: number, opts: TrainingOptions): ClassWeights {
  const average: ClassWeights = { classes, bias: new Float64Array(classes), weights: new Float64Array(rowCount * classes) };
  for (let run = 0; run < opts.runs; run++) {
    const model = trainOneVsRestOnce(examples, rowCount, classes, { ...opts, seed: opts.seed + run });
    for (let c = 0; c < classes; c++) average.bias[c]! += model.bias[c]! / opts.runs;
    for (let i = 0; i < average.weights.length; i++) average.weights[i]! += model.weights[i]! / opts.runs;
  }
  return average;
}

function trainOneVsRestOnce(examples: RowExample[], rowCount: number, classes: number, opts: TrainingOptions): ClassWeights {
  const model: ClassWeights = { classes, bias: new Float64Array(classes), weights: new Float64Array(rowCount * classes) };
  const squares = new Float64Array(rowCount * classes).fill(1e-8);
  const biasSquares = new Float64Array(classes).fill(1e-8);
  const random = seededRandom(opts.seed);
  const decay = opts.l2 / Math.max(1, examples.length);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const k of shuffledOrder(examples.length, random)) {
      const ex = examples[k]!;
      for (let c = 0; c < classes; c++) {
        let z = model.bias[c]!;
        for (let i = 0; i < ex.rows.length; i++) z += model.weights[ex.rows[i]! * classes + c]! * ex.values[i]!;
        const g = (sigmoid(z) - (c === ex.label ? 1 : 0)) * ex.weight;
        for (let i = 0; i < ex.rows.length; i++) {
          const at = ex.rows[i]! * classes + c;
          const grad = g * ex.values[i]! + decay * model.weights[at]!;
          squares[at]! += grad * grad;
          model.weights[at]! -= (opts.learningRate * grad) / Math.sqrt(squares[at]!);
        }
        biasSquares[c]! += g * g;
        model.bias[c]! -= (opts.learningRate * g) / Math.sqrt(biasSquares[c]!);
      }
    }
  }
  return model;
}
