/**
 * Which item a flagged sentence breaches, learnt from the training clauses: multinomial naive Bayes over the
 * presence of jieba tokens and Chinese character bigrams (bigrams carry phrases jieba splits differently,
 * such as 本市 inside 本市注册).
 *
 * The rules decide whether a sentence restricts competition and give the evidence; when they flag several
 * items on one sentence, their weights were written item by item and do not compare well across items. The
 * model's log-likelihoods do, so they order those items (see `rankFlaggedItems` in analyze.ts).
 * Hand-written rather than natural's BayesClassifier, which builds a dense vector over the whole vocabulary
 * for every document it trains on or classifies; a sparse count table keeps training (a few thousand
 * clauses) and each query to a few milliseconds.
 */
const CJK = /[\u4e00-\u9fa5]/;

/** Distinct features of a text: its (jieba) tokens, and its bigrams of adjacent Chinese characters (prefixed "#"). */
export function textFeatures(tokens: readonly string[], text: string): Set<string> {
  const features = new Set<string>(tokens);
  let previous = '';
  for (const ch of text) {
    if (!CJK.test(ch)) {
      previous = '';
      continue;
    }
    if (previous) features.add(`#${previous}${ch}`);
    previous = ch;
  }
  return features;
}

export interface TrainingDoc {
  features: Set<string>;
  itemIndex: number;
}

export class ItemModel {
  private readonly counts: Map<string, number>[];
  private readonly logPrior: Float64Array;
  /** log of each item's smoothed denominator: total feature count + smoothing · vocabulary size. */
  private readonly logDenominator: Float64Array;
  private readonly vocabulary = new Set<string>();

  constructor(
    docs: TrainingDoc[],
    itemCount: number,
    private readonly smoothing: number,
  ) {
    this.counts = Array.from({ length: itemCount }, () => new Map<string, number>());
    const docsPerItem = new Float64Array(itemCount);
    const featuresPerItem = new Float64Array(itemCount);
    for (const d of docs) {
      docsPerItem[d.itemIndex]!++;
      const counts = this.counts[d.itemIndex]!;
      for (const f of d.features) {
        counts.set(f, (counts.get(f) ?? 0) + 1);
        featuresPerItem[d.itemIndex]!++;
        this.vocabulary.add(f);
      }
    }
    this.logPrior = new Float64Array(itemCount);
    this.logDenominator = new Float64Array(itemCount);
    for (let i = 0; i < itemCount; i++) {
      this.logPrior[i] = Math.log(docsPerItem[i]! + 1);
      this.logDenominator[i] = Math.log(featuresPerItem[i]! + smoothing * this.vocabulary.size);
    }
  }

  /** log P(item) + Σ log P(feature | item) over the known features, for the given item indices. */
  logLikelihoods(features: Set<string>, itemIndices: number[]): number[] {
    const known: string[] = [];
    for (const f of features) if (this.vocabulary.has(f)) known.push(f);
    return itemIndices.map((i) => {
      const counts = this.counts[i]!;
      let sum = this.logPrior[i]! - known.length * this.logDenominator[i]!;
      for (const f of known) sum += Math.log((counts.get(f) ?? 0) + this.smoothing);
      return sum;
    });
  }
}
