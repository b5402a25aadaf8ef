/**
 * Statistical score: nearest exemplars in TF-IDF space over jieba tokens.
 *
 * The exemplars are the violating and near-miss clauses written into checklists/ (never evaluation data).
 * For a unit and an item, the score is the mean cosine similarity to the item's closest violating exemplars
 * minus the mean similarity to the closest near-miss (compliant) exemplars of any item: positive when the unit
 * reads like the item's violations rather than like the lawful clauses that share its words.
 * IDF weights come from natural's TfIdf over the exemplar corpus; similarity uses an inverted index so a unit
 * costs a few hundred multiply-adds.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { TfIdf } from 'natural/lib/natural/tfidf/index.js';

export type Tokenize = (text: string) => string[];

const CJK = /[\u4e00-\u9fa5]/;

/** jieba with the lexicon's domain terms added, keeping tokens of two or more characters with a Chinese character. */
export function createTokenizer(domainWords: Iterable<string>): Tokenize {
  const jieba = Jieba.withDict(dict);
  const lines: string[] = [];
  for (const w of domainWords) if (w.length >= 2 && w.length <= 8 && /^[\u4e00-\u9fa5]+$/.test(w)) lines.push(`${w} 3000 n`);
  if (lines.length > 0) jieba.loadDict(Buffer.from(lines.join('\n') + '\n'));
  return (text) => jieba.cut(text, false).filter((t) => t.length >= 2 && CJK.test(t));
}

export interface LabelledDoc {
  tokens: string[];
  /** Index of the item the exemplar violates, or -1 for a near-miss (compliant) exemplar. */
  itemIndex: number;
}

interface Posting {
  doc: number;
  weight: number;
}

export class ExemplarSimilarity {
  private readonly postings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly docsByItem: number[][];
  private readonly compliantDocs: number[];
  private readonly dots: Float64Array;

  constructor(
    docs: LabelledDoc[],
    itemCount: number,
    private readonly neighbours: number,
  ) {
    const tfidf = new TfIdf();
    for (const d of docs) tfidf.addDocument(d.tokens);
    for (const d of docs) for (const t of d.tokens) if (!this.idf.has(t)) this.idf.set(t, Math.max(0, tfidf.idf(t)));

    docs.forEach((d, docIndex) => {
      const vector = this.vectorOf(d.tokens);
      for (const [term, weight] of vector) {
        const list = this.postings.get(term);
        if (list) list.push({ doc: docIndex, weight });
        else this.postings.set(term, [{ doc: docIndex, weight }]);
      }
    });
    this.docsByItem = Array.from({ length: itemCount }, () => []);
    this.compliantDocs = [];
    docs.forEach((d, i) => (d.itemIndex >= 0 ? this.docsByItem[d.itemIndex]!.push(i) : this.compliantDocs.push(i)));
    this.dots = new Float64Array(docs.length);
  }

  /** L2-normalised TF-IDF vector; terms unseen in the exemplars carry no weight. */
  private vectorOf(tokens: string[]): Map<string, number> {
    const vector = new Map<string, number>();
    for (const t of tokens) {
      const idf = this.idf.get(t);
      if (idf) vector.set(t, (vector.get(t) ?? 0) + idf);
    }
    let norm = 0;
    for (const w of vector.values()) norm += w * w;
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, w] of vector) vector.set(t, w / norm);
    return vector;
  }

  private meanOfTop(docIndices: number[], exclude: number): number {
    const k = this.neighbours;
    const top: number[] = [];
    for (const d of docIndices) {
      if (d === exclude) continue;
      const s = this.dots[d]!;
      if (top.length < k) {
        top.push(s);
        top.sort((a, b) => b - a);
      } else if (s > top[k - 1]!) {
        top[k - 1] = s;
        top.sort((a, b) => b - a);
      }
    }
    if (top.length === 0) return 0;
    return top.reduce((a, b) => a + b, 0) / top.length;
  }

  /** Per item index: similarity to its violating exemplars minus similarity to near-misses. `exclude` leaves one exemplar out. */
  scores(tokens: string[], exclude = -1): Float64Array {
    const out = new Float64Array(this.docsByItem.length);
    const vector = this.vectorOf(tokens);
    if (vector.size === 0) return out;
    this.dots.fill(0);
    for (const [term, weight] of vector) {
      for (const p of this.postings.get(term)!) this.dots[p.doc]! += weight * p.weight;
    }
    const compliant = this.meanOfTop(this.compliantDocs, exclude);
    for (let i = 0; i < out.length; i++) out[i] = this.meanOfTop(this.docsByItem[i]!, exclude) - compliant;
    return out;
  }
}
