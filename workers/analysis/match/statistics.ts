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

function hasCjk(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fa5) return true;
  }
  return false;
}

/** jieba with the lexicon's domain terms added, keeping tokens of two or more characters with a Chinese character. */
export function createTokenizer(domainWords: Iterable<string>): Tokenize {
  const jieba = Jieba.withDict(dict);
  const lines: string[] = [];
  for (const w of domainWords) if (w.length >= 2 && w.length <= 8 && /^[\u4e00-\u9fa5]+$/.test(w)) lines.push(`${w} 3000 n`);
  if (lines.length > 0) jieba.loadDict(Buffer.from(lines.join('\n') + '\n'));
  return (text) => {
    const tokens: string[] = [];
    for (const t of jieba.cut(text, false)) if (t.length >= 2 && hasCjk(t)) tokens.push(t);
    return tokens;
  };
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
  private readonly top: Float64Array;

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
    this.top = new Float64Array(neighbours);
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

  /** Mean of the `neighbours` largest similarities among `docIndices` (insertion into a tiny sorted buffer). */
  private meanOfTop(docIndices: number[], exclude: number): number {
    const k = this.neighbours;
    const top = this.top;
    let filled = 0;
    for (const d of docIndices) {
      if (d === exclude) continue;
      const s = this.dots[d]!;
      if (filled === k && s <= top[k - 1]!) continue;
      let i = filled < k ? filled++ : k - 1;
      while (i > 0 && top[i - 1]! < s) {
        top[i] = top[i - 1]!;
        i--;
      }
      top[i] = s;
    }
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += top[i]!;
    return filled === 0 ? 0 : sum / filled;
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
