/**
 * Hashed features of a sentence for the clause model: character n-grams of the sentence itself, character
 * n-grams of its context (enumeration lead-in, the other "；"-parts of its sentence), and the rule cues that
 * held on it. Every feature is a 32-bit FNV-1a hash of its namespace and text, folded into 2^HASH_BITS buckets,
 * so no vocabulary is kept and nothing of the training text is stored in the model.
 */
export const HASH_BITS = 20;
export const BUCKETS = 1 << HASH_BITS;
const MASK = BUCKETS - 1;

/** Longest character n-gram. */
export const MAX_N = 4;
/** The context's n-grams count this much beside the sentence's own. */
const CONTEXT_WEIGHT = 0.5;
/**
 * Rule cues count less than their presence alone would: the rules were written on our own clauses, where they
 * hold far more reliably than on real policy text (chosen by grouped cross-validation on the real sets).
 */
const CUE_WEIGHT = 0.3;
/**
 * n-gram values are 1 / count^LENGTH_EXPONENT: 0.5 would give every sentence unit length, which drowns one
 * telling phrase in a long sentence; 0.35 (chosen by grouped cross-validation) keeps it audible.
 */
const LENGTH_EXPONENT = 0.35;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const NS_SENTENCE = 0x53; // 'S'
const NS_CUE = 0x52; // 'R'

function fnvStep(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME) >>> 0;
}

function hashText(ns: number, text: string): number {
  let h = fnvStep(FNV_OFFSET, ns);
  for (let i = 0; i < text.length; i++) h = fnvStep(h, text.charCodeAt(i));
  return h & MASK;
}

/**
 * The text the n-grams are read from: digits folded to one "0" per run (amounts and years vary, their
 * presence does not), ASCII letters lower-cased, white space dropped. Folded character i stands for
 * source[start[i], end[i]), so an n-gram maps back to a verbatim span.
 */
export interface FoldedText {
  codes: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  length: number;
}

export function foldText(text: string, from = 0, to = text.length): FoldedText {
  const size = Math.max(0, to - from);
  const codes = new Uint16Array(size);
  const start = new Int32Array(size);
  const end = new Int32Array(size);
  let n = 0;
  let previousDigit = false;
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3000) continue;
    const digit: boolean = (c >= 0x30 && c <= 0x39) || (c === 0x2e && previousDigit);
    if (digit && previousDigit) {
      end[n - 1] = i + 1;
      continue;
    }
    if (digit) c = 0x30;
    else if (c >= 0x41 && c <= 0x5a) c += 0x20;
    previousDigit = digit;
    codes[n] = c;
    start[n] = i;
    end[n] = i + 1;
    n++;
  }
  return { codes, start, end, length: n };
}

/** A sparse feature vector: distinct buckets in ascending order with their values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

/** Collects weighted buckets; a bucket added twice keeps the larger value. */
export class FeatureBag {
  private readonly values = new Map<number, number>();

  add(bucket: number, value: number): void {
    const old = this.values.get(bucket);
    if (old === undefined || value > old) this.values.set(bucket, value);
  }

  toVector(): SparseVector {
    const index = Int32Array.from(this.values.keys()).sort();
    const value = new Float32Array(index.length);
    for (let i = 0; i < index.length; i++) value[i] = this.values.get(index[i]!)!;
    return { index, value };
  }
}

/** Buckets of every n-gram (1 ≤ n ≤ maxN, minN ≤ n) of folded text, each once. */
function ngramBuckets(ns: number, folded: FoldedText, minN: number, maxN: number): Set<number> {
  const out = new Set<number>();
  const { codes, length } = folded;
  for (let i = 0; i < length; i++) {
    let h = fnvStep(FNV_OFFSET, ns);
    for (let n = 1; n <= maxN && i + n <= length; n++) {
      h = fnvStep(h, codes[i + n - 1]!);
      if (n >= minN) out.add(h & MASK);
    }
  }
  return out;
}

/** Adds n-gram buckets, scaled down with their count so that long sentences do not outweigh short ones. */
function addNormalised(bag: FeatureBag, buckets: Set<number>, weight: number): void {
  if (buckets.size === 0) return;
  const value = weight / Math.pow(buckets.size, LENGTH_EXPONENT);
  for (const b of buckets) bag.add(b, value);
}

export interface SentenceInput {
  /** The sentence, folded. */
  sentence: FoldedText;
  /** Its context (lead-in, sibling parts), folded; may be empty. */
  context: FoldedText[];
  /** Names of rule cues that held (e.g. "item:entry-3", "group:local", "prohibition"). */
  cues: Iterable<string>;
}

export function sentenceFeatures(input: SentenceInput): SparseVector {
  const bag = new FeatureBag();
  addNormalised(bag, ngramBuckets(NS_SENTENCE, input.sentence, 1, MAX_N), 1);
  // A lead-in is read as part of the sentence it introduces (our labelled clauses carry their setting inside
  // the sentence: "申请人须在本市设立分支机构"), at a lower weight, so the sentence's own words still decide.
  const context = new Set<number>();
  for (const c of input.context) for (const b of ngramBuckets(NS_SENTENCE, c, 1, MAX_N)) context.add(b);
  addNormalised(bag, context, CONTEXT_WEIGHT);
  for (const cue of input.cues) bag.add(hashText(NS_CUE, cue), CUE_WEIGHT);
  return bag.toVector();
}

/** One n-gram of the sentence with its span in the source text. */
export interface NgramSpan {
  bucket: number;
  start: number;
  end: number;
}

/** Every n-gram of the folded sentence (n ≥ 2) with its verbatim span, for picking telling phrases. */
export function sentenceNgramSpans(folded: FoldedText): NgramSpan[] {
  const out: NgramSpan[] = [];
  const { codes, length } = folded;
  for (let i = 0; i < length; i++) {
    let h = fnvStep(FNV_OFFSET, NS_SENTENCE);
    for (let n = 1; n <= MAX_N && i + n <= length; n++) {
      h = fnvStep(h, codes[i + n - 1]!);
      if (n >= 2) out.push({ bucket: h & MASK, start: folded.start[i]!, end: folded.end[i + n - 1]! });
    }
  }
  return out;
}
