/**
 * The learned clause model at run time: P(the sentence breaches some item) from the binary model, and the
 * items' shares from one binary model per item (one-vs-rest), all over the hashed features of features.ts.
 * Weights are stored in the artefact as 16-bit integers with one scale per model, and expanded here into
 * flat arrays indexed by bucket, so scoring a sentence is one array read per feature.
 */
import type { ModelArtefact } from '../../../checklists/index.js';
import { BUCKETS, collected, collectFeatures, HASH_BITS, MAX_N, type SentenceInput, type SparseVector } from './features.js';
import { sigmoid, type BinaryWeights, type ClassWeights } from './logistic.js';

export const OPERATING_POINTS = ['review', 'screen'] as const;
export type { ModelArtefact };
export type OperatingPoint = (typeof OPERATING_POINTS)[number];

function toBase64(array: Int32Array | Int16Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function int32s(base64: string): Int32Array {
  const b = Buffer.from(base64, 'base64');
  const out = new Int32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt32LE(i * 4);
  return out;
}

function int16s(base64: string): Int16Array {
  const b = Buffer.from(base64, 'base64');
  const out = new Int16Array(b.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(i * 2);
  return out;
}

/** Weights rounded to int16 with one scale; values are rounded to 6 decimals first so the encoding is stable. */
function quantise(weights: Float64Array): { values: Int16Array; scale: number } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? Number((max / 32767).toPrecision(8)) : 1;
  const values = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) values[i] = Math.max(-32767, Math.min(32767, Math.round(weights[i]! / scale)));
  return { values, scale };
}

export function encodeBinary(buckets: Int32Array, model: BinaryWeights): ModelArtefact['binary'] {
  const { values, scale } = quantise(model.weights);
  return { bias: Number(model.bias.toFixed(6)), buckets: toBase64(buckets), weights: toBase64(values), scale };
}

export function encodeItems(buckets: Int32Array, classes: ModelArtefact['items']['classes'], model: ClassWeights): ModelArtefact['items'] {
  const { values, scale } = quantise(model.weights);
  return {
    classes,
    bias: Array.from(model.bias, (b) => Number(b.toFixed(6))),
    buckets: toBase64(buckets),
    weights: toBase64(values),
    scale,
  };
}

export class ClauseModel {
  readonly thresholds: Record<OperatingPoint, number>;
  readonly itemIds: string[];
  private readonly binaryBias: number;
  /**
   * One entry of two 32-bit slots per bucket, read through two views of the same memory: the binary weight
   * (float32, 0 outside the vocabulary) at 2·bucket and the bucket's item-model row (-1 outside the item
   * vocabulary) at 2·bucket + 1. Both sit in one cache line, so the item model's read of a sentence's buckets
   * finds them already loaded by the binary model's read; the table is far larger than the CPU caches.
   */
  private readonly binaryWeight: Float32Array;
  private readonly itemRow: Int32Array;
  private readonly itemBias: Float64Array;
  /** Item weights, row-major by class (float32: half the memory to walk for each flagged sentence). */
  private readonly itemWeights: Float32Array;
  /** Where the item-model rows of the sentence being read start, and their feature values (grown to the longest sentence). */
  private rowScratch = new Int32Array(1024);
  private valueScratch = new Float64Array(1024);

  constructor(readonly artefact: ModelArtefact) {
    if (artefact.hashBits !== HASH_BITS || artefact.maxN !== MAX_N) {
      throw new Error(`条款模型的特征设置（${artefact.hashBits} 位散列、${artefact.maxN} 元组）与本程序不符，请重新运行 npm run train`);
    }
    this.thresholds = artefact.thresholds;
    this.itemIds = artefact.items.classes;
    this.binaryBias = artefact.binary.bias;
    const table = new ArrayBuffer(BUCKETS * 8);
    this.binaryWeight = new Float32Array(table);
    this.itemRow = new Int32Array(table);
    for (let b = 0; b < BUCKETS; b++) this.itemRow[2 * b + 1] = -1;
    const binaryBuckets = int32s(artefact.binary.buckets);
    const binaryValues = int16s(artefact.binary.weights);
    for (let i = 0; i < binaryBuckets.length; i++) this.binaryWeight[2 * binaryBuckets[i]!] = binaryValues[i]! * artefact.binary.scale;

    const itemBuckets = int32s(artefact.items.buckets);
    const itemValues = int16s(artefact.items.weights);
    for (let i = 0; i < itemBuckets.length; i++) this.itemRow[2 * itemBuckets[i]! + 1] = i;
    this.itemWeights = new Float32Array(itemValues.length);
    for (let i = 0; i < itemValues.length; i++) this.itemWeights[i] = itemValues[i]! * artefact.items.scale;
    this.itemBias = Float64Array.from(artefact.items.bias);
  }

  /** P(the sentence breaches some item). */
  probability(v: SparseVector): number {
    let zSum = this.binaryBias;
    for (let i = 0; i < v.index.length; i++) zSum += this.binaryWeight[2 * v.index[i]!]! * v.value[i]!;
    return sigmoid(zSum);
  }

  /** P(breach) of a sentence straight from its input: the same as `probability(sentenceFeatures(input))`, faster. */
  probabilityOf(input: SentenceInput): number {
    const count = collectFeatures(input);
    const { buckets, values } = collected;
    const weight = this.binaryWeight;
    let z = this.binaryBias;
    for (let i = 0; i < count; i++) z += weight[2 * buckets[i]!]! * Math.fround(values[i]!);
    return sigmoid(z);
  }

  /**
   * Each item's share of a sentence, in the order of `itemIds`: each item model's P(this item rather than
   * another) over their sum, so the shares add up to 1 as P(item | breach) would. One model per item chose the
   * published cases' items better than one softmax over all items (grouped cross-validation, two seeds:
   * 26 → 27 of 33 and 25 → 27 of 34). Straight from the sentence's input: right after
   * `probabilityOf` of the same input, its features are still collected and are not found again.
   * The sentence's rows are gathered first and the scores summed four classes at a time: the rows' first
   * reads are then independent of each other and overlap, where summing row by row waits for each row in
   * turn, and four sums grow side by side instead of each waiting for its previous addition. Each class still
   * adds the features in the same order, so the sums are the same to the last bit.
   */
  itemProbabilitiesOf(input: SentenceInput): Float64Array {
    const count = collected.input === input ? collected.count : collectFeatures(input);
    const { buckets, values } = collected;
    if (this.rowScratch.length < count) {
      this.rowScratch = new Int32Array(collected.buckets.length);
      this.valueScratch = new Float64Array(collected.buckets.length);
    }
    /** Where each gathered row starts in `itemWeights`. */
    const rowStarts = this.rowScratch;
    const rowValues = this.valueScratch;
    const rowOf = this.itemRow;
    const classes = this.itemIds.length;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const row = rowOf[2 * buckets[i]! + 1]!;
      if (row < 0) continue;
      rowStarts[n] = row * classes;
      rowValues[n++] = Math.fround(values[i]!);
    }
    const weights = this.itemWeights;
    const bias = this.itemBias;
    const z = new Float64Array(classes);
    let c = 0;
    for (; c + 4 <= classes; c += 4) {
      let sum0 = bias[c]!;
      let sum1 = bias[c + 1]!;
      let sum2 = bias[c + 2]!;
      let sum3 = bias[c + 3]!;
      for (let k = 0; k < n; k++) {
        const at = rowStarts[k]! + c;
        const value = rowValues[k]!;
        sum0 += weights[at]! * value;
        sum1 += weights[at + 1]! * value;
        sum2 += weights[at + 2]! * value;
        sum3 += weights[at + 3]! * value;
      }
      z[c] = sum0;
      z[c + 1] = sum1;
      z[c + 2] = sum2;
      z[c + 3] = sum3;
    }
    for (; c < classes; c++) {
      let sum = bias[c]!;
      for (let k = 0; k < n; k++) sum += weights[rowStarts[k]! + c]! * rowValues[k]!;
      z[c] = sum;
    }
    let sum = 0;
    for (c = 0; c < classes; c++) sum += z[c] = sigmoid(z[c]!);
    for (c = 0; c < classes; c++) z[c]! /= sum;
    return z;
  }

  /** The binary weight of a feature bucket (an n-gram's, say): how much it pushes a sentence toward a breach. */
  bucketWeight(bucket: number): number {
    return this.binaryWeight[2 * bucket]!;
  }
}
