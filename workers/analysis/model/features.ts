/**
 * Hashed features of a sentence for the clause model: character n-grams of the sentence itself, how it
 * begins and ends, character n-grams of its context (enumeration lead-in, the other "；"-parts of its
 * sentence), of the heading it stands under and of the sentence before it, and the rule cues that held on
 * it. Every feature is a 32-bit FNV-1a hash of its namespace and text, folded into 2^HASH_BITS buckets, so no
 * vocabulary is kept and nothing of the training text is stored in the model.
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
/**
 * The sentence's first and last 1…BOUNDARY_N characters are features of their own: the same words mean
 * another thing at the edges ("…规模升级；" ending a bare enumerated heading, "对…" opening an award), which
 * n-grams from anywhere in the sentence cannot tell. They count BOUNDARY_WEIGHT of a sentence n-gram (3 and
 * 0.6 chosen by grouped cross-validation on two seeds: real-case recall up on both, real-document recall and
 * false positives no worse).
 */
const BOUNDARY_N = 3;
const BOUNDARY_WEIGHT = 0.6;
/**
 * The n-grams of the heading a sentence stands under ("三、扶持措施", "第四章 安全管理") are features of their
 * own, apart from the same n-grams in a sentence: read as sentence n-grams, the words of a support heading
 * raised every compliant duty under it and real-case recall fell on both seeds; on their own they are learnt
 * from the real documents, the only clauses read under headings. They count
 * HEADING_WEIGHT / count^LENGTH_EXPONENT (0.35 chosen by grouped cross-validation on two seeds: real-document
 * recall up at the same false positives on one, screening recall up on the other, real-case recall no worse).
 */
const HEADING_WEIGHT = 0.35;
/**
 * The n-grams of the sentence just before, in the same article or item, are features of their own: a short
 * sentence ("符合条件的项目期满后可再申请。") often only carries on what the sentence before it grants, and
 * read alone it says nothing. Like the heading, they are learnt from clauses read in documents. They count
 * PREVIOUS_WEIGHT / count^LENGTH_EXPONENT (0.3 chosen by grouped cross-validation, on two seeds: real-case
 * recall up at the same false positives on real documents).
 */
const PREVIOUS_WEIGHT = 0.3;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const NS_SENTENCE = 0x53; // 'S'
const NS_CUE = 0x52; // 'R'
const NS_FIRST = 0x42; // 'B'
const NS_LAST = 0x45; // 'E'
const NS_HEADING = 0x48; // 'H'
const NS_PREVIOUS = 0x50; // 'P'

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

/**
 * Proper names the model should read as the kind of thing they name, not as themselves: a place before
 * 省/市/县/区/州 ("海口市" reads "本市": a clause favouring 海口 in a 海口 document favours the local), and a
 * company's name before 公司/集团 ("青川区城市环境服务有限公司" reads "某公司"). Names vary from one
 * document to the next; what the clause does with them does not. A name starts after a boundary (not CJK, or
 * a function character such as 由/在/向) and never with a word that already says whose it is (本/全/各/该…).
 */
const PLACE_NAME = /(?<=^|[^\u4e00-\u9fa5]|[由向与在给交和及或的于到自从经])(?![由向与在给交和及或的于到自从经本全各该外我域辖市县区省州])[\u4e00-\u9fa5]{2,3}(?<!上)(?=[省市县区州](?!场))/g;
const COMPANY_NAME = /(?<=^|[^\u4e00-\u9fa5]|[由向与在给交和及或的于到自从经])(?![由向与在给交和及或的于到自从经本全各该外我域辖其每某公])[\u4e00-\u9fa5]{2,14}?(?:股份有限|有限责任|集团有限|有限)?(?=公司|集团)/g;
const PLACE_CODE = 0x672c; // 本
const COMPANY_CODE = 0x67d0; // 某

/** What each name ends before: a text without it holds no such name and is not searched (most hold no company). */
const COMPANY_WORD = /公司|集团/;
const PLACE_WORD = /[省市县区州]/;

/** The matches of a global regex in `text`, like `text.matchAll(re)` without the copy of `re` that makes on every call. */
function* matchesOf(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) yield match;
}

/** Name spans within [from, to) with the code each reads as, in text order, not overlapping. */
function nameSpans(text: string, from: number, to: number): { start: number; end: number; code: number }[] {
  const slice = text.slice(from, to);
  const spans: { start: number; end: number; code: number }[] = [];
  if (COMPANY_WORD.test(slice)) {
    for (const m of matchesOf(COMPANY_NAME, slice)) spans.push({ start: from + m.index, end: from + m.index + m[0].length, code: COMPANY_CODE });
  }
  if (PLACE_WORD.test(slice)) {
    for (const m of matchesOf(PLACE_NAME, slice)) {
      const start = from + m.index;
      const end = start + m[0].length;
      if (!spans.some((s) => start < s.end && s.start < end)) spans.push({ start, end, code: PLACE_CODE });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Folds text[from, to) into `out`, growing its arrays when they are too short; returns `out`. */
function foldInto(out: FoldedText, text: string, from: number, to: number): FoldedText {
  const size = Math.max(0, to - from);
  if (out.codes.length < size) {
    const capacity = Math.max(size, 2 * out.codes.length);
    out.codes = new Uint16Array(capacity);
    out.start = new Int32Array(capacity);
    out.end = new Int32Array(capacity);
  }
  const { codes, start, end } = out;
  let n = 0;
  let previousDigit = false;
  const names = nameSpans(text, from, to);
  let nextName = 0;
  for (let i = from; i < to; i++) {
    const name = names[nextName];
    if (name !== undefined && name.start === i) {
      codes[n] = name.code;
      start[n] = i;
      end[n] = name.end;
      n++;
      previousDigit = false;
      nextName++;
      i = name.end - 1;
      continue;
    }
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
  out.length = n;
  return out;
}

export function foldText(text: string, from = 0, to = text.length): FoldedText {
  const size = Math.max(0, to - from);
  // one buffer for the three arrays: allocating and freeing buffers costs more than filling them
  const buffer = new ArrayBuffer(size * 10);
  const folded = { codes: new Uint16Array(buffer, size * 8, size), start: new Int32Array(buffer, 0, size), end: new Int32Array(buffer, size * 4, size), length: 0 };
  return foldInto(folded, text, from, to);
}

/**
 * A fold that is read at once and then dropped (a sentence read by the model, a unit searched for telling
 * phrases): each call folds into the same arrays, overwriting the previous call's result, so the analyser
 * allocates no buffer per sentence.
 */
export class FoldScratch {
  private readonly folded: FoldedText = { codes: new Uint16Array(256), start: new Int32Array(256), end: new Int32Array(256), length: 0 };

  fold(text: string, from = 0, to = text.length): FoldedText {
    return foldInto(this.folded, text, from, to);
  }
}

/** A sparse feature vector: distinct buckets in ascending order with their values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

export interface SentenceInput {
  /** The sentence, folded. */
  sentence: FoldedText;
  /** Its context (lead-in, sibling parts), folded; may be empty. */
  context: FoldedText[];
  /** The heading it stands under, folded; may be empty. */
  headings: FoldedText[];
  /** The sentence before it in the same article or item, folded; may be empty. */
  previous: FoldedText[];
  /** Buckets of the rule cues that held (`cueBucket("item:entry-3")`, `cueBucket("group:local")`, …). */
  cues: ArrayLike<number>;
}

/** The bucket of a rule cue's name. */
export function cueBucket(name: string): number {
  return hashText(NS_CUE, name);
}

const IN_SENTENCE = 1;
const IN_CONTEXT = 2;
const IN_CUES = 4;
const IN_BOUNDARY = 8;
const IN_HEADING = 16;
const IN_PREVIOUS = 32;

/**
 * The features `collectFeatures` found last: buckets[0..count) with their values. A small open-addressing
 * table (sized to the sentence, cleared slot by slot) keeps the de-duplication in cache: looking buckets up in
 * arrays the size of the hash space costs a cache miss per n-gram.
 */
export const collected: { buckets: Int32Array; values: Float64Array; count: number; input: SentenceInput | undefined } = {
  buckets: new Int32Array(1024),
  values: new Float64Array(1024),
  count: 0,
  /** The input the buffers hold the features of, so a second model reading the same sentence reuses them. */
  input: undefined,
};
let slotOf = new Int32Array(1024);
let tableKeys = new Int32Array(2048).fill(-1);
let tableFlags = new Uint8Array(2048);
/** 32 − log2(table size): the shift that turns a bucket's multiplicative hash into a slot. */
let tableShift = 32 - 11;

function reserve(features: number): void {
  if (collected.buckets.length < features) {
    const size = 1 << Math.ceil(Math.log2(features));
    collected.buckets = new Int32Array(size);
    collected.values = new Float64Array(size);
    slotOf = new Int32Array(size);
  }
  if (tableKeys.length < features * 2) {
    const size = 1 << Math.ceil(Math.log2(features * 2));
    tableKeys = new Int32Array(size).fill(-1);
    tableFlags = new Uint8Array(size);
    tableShift = 32 - Math.log2(size);
  }
}

/** Adds a bucket to a group; true when the group did not have it yet. */
function insert(bucket: number, group: number): boolean {
  const mask = tableKeys.length - 1;
  let i = Math.imul(bucket, 0x9e3779b1) >>> tableShift;
  while (tableKeys[i] !== -1 && tableKeys[i] !== bucket) i = (i + 1) & mask;
  if (tableKeys[i] === -1) {
    tableKeys[i] = bucket;
    tableFlags[i] = group;
    slotOf[collected.count] = i;
    collected.buckets[collected.count++] = bucket;
    return true;
  }
  if (tableFlags[i]! & group) return false;
  tableFlags[i]! |= group;
  return true;
}

/** Adds the n-grams of a folded text, hashed in a namespace, to a group; returns how many were new to the group. */
function insertNgrams(folded: FoldedText, group: number, namespace: number): number {
  const { codes, length } = folded;
  let distinct = 0;
  for (let i = 0; i < length; i++) {
    let h = fnvStep(FNV_OFFSET, namespace);
    const last = Math.min(MAX_N, length - i);
    for (let n = 1; n <= last; n++) {
      h = fnvStep(h, codes[i + n - 1]!);
      if (insert(h & MASK, group)) distinct++;
    }
  }
  return distinct;
}

/** Adds the sentence's first and last 1…BOUNDARY_N characters (the last read backwards) to the boundary group. */
function insertBoundaries(folded: FoldedText): void {
  const { codes, length } = folded;
  const width = Math.min(BOUNDARY_N, length);
  let first = fnvStep(FNV_OFFSET, NS_FIRST);
  let end = fnvStep(FNV_OFFSET, NS_LAST);
  for (let n = 1; n <= width; n++) {
    first = fnvStep(first, codes[n - 1]!);
    end = fnvStep(end, codes[length - n]!);
    insert(first & MASK, IN_BOUNDARY);
    insert(end & MASK, IN_BOUNDARY);
  }
}

/**
 * The texts read around a sentence, each a group of its own: its n-grams in a namespace, at a weight. A
 * lead-in is read as part of the sentence it introduces (the sentence's namespace), as our labelled clauses
 * carry their setting inside the sentence: "申请人须在本市设立分支机构", but weighs less, so the sentence's own
 * words still decide; the heading and the sentence before are read in namespaces of their own.
 */
const SURROUNDINGS: readonly { flag: number; namespace: number; weight: number; texts: (input: SentenceInput) => FoldedText[] }[] = [
  { flag: IN_CONTEXT, namespace: NS_SENTENCE, weight: CONTEXT_WEIGHT, texts: (input) => input.context },
  { flag: IN_HEADING, namespace: NS_HEADING, weight: HEADING_WEIGHT, texts: (input) => input.headings },
  { flag: IN_PREVIOUS, namespace: NS_PREVIOUS, weight: PREVIOUS_WEIGHT, texts: (input) => input.previous },
];
const IN_SURROUNDINGS = SURROUNDINGS.reduce((flags, group) => flags | group.flag, 0);
/** Each surrounding group's value for the sentence being read. */
const surroundingValues = new Float64Array(SURROUNDINGS.length);

/**
 * Finds every feature of a sentence once, with its value, into `collected`: the sentence's distinct n-grams
 * at 1/count^LENGTH_EXPONENT and its boundaries at BOUNDARY_WEIGHT of that; each group of SURROUNDINGS'
 * distinct n-grams at its weight/count^LENGTH_EXPONENT; each rule cue at CUE_WEIGHT. A bucket in several
 * groups counts once, with its largest value. Runs for every sentence of every document: it allocates nothing
 * once its buffers have grown to the longest sentence.
 */
export function collectFeatures(input: SentenceInput): number {
  let characters = input.sentence.length;
  for (const group of SURROUNDINGS) for (const text of group.texts(input)) characters += text.length;
  reserve(characters * MAX_N + 2 * BOUNDARY_N + input.cues.length + 1);
  collected.count = 0;
  collected.input = input;
  const sentenceCount = insertNgrams(input.sentence, IN_SENTENCE, NS_SENTENCE);
  insertBoundaries(input.sentence);
  for (let g = 0; g < SURROUNDINGS.length; g++) {
    const group = SURROUNDINGS[g]!;
    let groupCount = 0;
    for (const text of group.texts(input)) groupCount += insertNgrams(text, group.flag, group.namespace);
    surroundingValues[g] = groupCount > 0 ? group.weight / Math.pow(groupCount, LENGTH_EXPONENT) : 0;
  }
  for (let i = 0; i < input.cues.length; i++) insert(input.cues[i]!, IN_CUES);

  const sentenceValue = sentenceCount > 0 ? 1 / Math.pow(sentenceCount, LENGTH_EXPONENT) : 0;
  const boundaryValue = BOUNDARY_WEIGHT * sentenceValue;
  const { values, count } = collected;
  for (let k = 0; k < count; k++) {
    const slot = slotOf[k]!;
    const flags = tableFlags[slot]!;
    let v = flags & IN_SENTENCE ? sentenceValue : 0;
    if (flags & IN_BOUNDARY && boundaryValue > v) v = boundaryValue;
    if (flags & IN_SURROUNDINGS) {
      for (let g = 0; g < SURROUNDINGS.length; g++) if (flags & SURROUNDINGS[g]!.flag && surroundingValues[g]! > v) v = surroundingValues[g]!;
    }
    if (flags & IN_CUES && CUE_WEIGHT > v) v = CUE_WEIGHT;
    values[k] = v;
    tableKeys[slot] = -1;
    tableFlags[slot] = 0;
  }
  return count;
}

export function sentenceFeatures(input: SentenceInput): SparseVector {
  const count = collectFeatures(input);
  const order = Array.from({ length: count }, (_, i) => i).sort((x, y) => collected.buckets[x]! - collected.buckets[y]!);
  const index = new Int32Array(count);
  const value = new Float32Array(count);
  order.forEach((k, i) => {
    index[i] = collected.buckets[k]!;
    value[i] = collected.values[k]!;
  });
  return { index, value };
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
  forEachNgramSpan(folded, (bucket, start, end) => out.push({ bucket, start, end }));
  return out;
}

/** Visits what `sentenceNgramSpans` lists, in the same order, without making the list. */
export function forEachNgramSpan(folded: FoldedText, visit: (bucket: number, start: number, end: number) => void): void {
  const { codes, length } = folded;
  for (let i = 0; i < length; i++) {
    let h = fnvStep(FNV_OFFSET, NS_SENTENCE);
    for (let n = 1; n <= MAX_N && i + n <= length; n++) {
      h = fnvStep(h, codes[i + n - 1]!);
      if (n >= 2) visit(h & MASK, folded.start[i]!, folded.end[i + n - 1]!);
    }
  }
}
