/**
 * npm run train [-- --with decisions.jsonl ...] [-- --check]
 *
 * Rebuilds the clause model (checklists/data/model.json) from the labelled clauses: our own
 * (checklists/data), the shared real sets (../shared/eval, read here and never copied), and reviewers'
 * decisions exported by `npx fairreview export-decisions` (--with). Deterministic: the same data gives the
 * same file, byte for byte.
 *
 * The two operating points are chosen on grouped cross-validation over the same data (a published case is
 * scored by a model that never saw its batch, a real clause by one that never saw its document, our own
 * clauses in five folds): on the compliant clauses of real-style text (the real documents, our real-style
 * clauses, reviewers' decisions), `review` is the lowest threshold whose false-positive rate stays within
 * REVIEW_FP, `screen` the lowest within SCREEN_FP, each on every one of those sources alone.
 *
 * --check: trains and compares with the committed file instead of writing it (exit 1 when they differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadRuleEngine } from '../workers/analysis/analyze.js';
import { chooseThreshold, crossValidate, featurize, serialiseArtefact, trainModel } from '../workers/analysis/model/train.js';
import { loadSets, readDecisions } from './trainingData.js';

/**
 * `review` spends the whole false-positive budget of a self-review (5 %): there every flag is read by the
 * drafter who wrote the clause, and a restriction missed costs more than a flag dismissed. At 4 % real-case
 * recall was 2–3 points lower in grouped cross-validation.
 */
const REVIEW_FP = 0.05;
const SCREEN_FP = 0.015;

const MODEL_PATH = fileURLToPath(new URL('../checklists/data/model.json', import.meta.url));

function withFlags(argv: string[]): { check: boolean; decisions: string[] } {
  const decisions: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--with' && argv[i + 1]) decisions.push(argv[i + 1]!);
  });
  return { check: argv.includes('--check'), decisions };
}

const started = performance.now();
const { check, decisions } = withFlags(process.argv.slice(2));
const engine = loadRuleEngine();
const sets = loadSets().filter((s) => s.training);
const clauses = [...sets.flatMap((s) => s.clauses), ...decisions.flatMap((path) => readDecisions(path))];
const featured = featurize(engine, clauses);
for (const s of sets) console.error(`训练数据：${s.name}：${s.clauses.length} 条`);
for (const path of decisions) console.error(`训练数据：审查人员决定 ${path}`);

const oof = crossValidate(engine, featured, featured, (c) => c.group, { review: 0.5, screen: 0.5 });
const review = chooseThreshold(oof, REVIEW_FP);
const screen = chooseThreshold(oof, SCREEN_FP);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.error(`review 阈值 ${review.threshold}（交叉验证：召回 ${pct(review.recall)}，真实文本合规条款误报（各来源中最高）${pct(review.falsePositiveRate)}）`);
console.error(`screen 阈值 ${screen.threshold}（交叉验证：召回 ${pct(screen.recall)}，真实文本合规条款误报（各来源中最高）${pct(screen.falsePositiveRate)}）`);

const { artefact } = trainModel(engine, featured, { review: review.threshold, screen: screen.threshold });
const json = serialiseArtefact(artefact);
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
if (check) {
  let committed = '';
  try {
    committed = readFileSync(MODEL_PATH, 'utf8');
  } catch {
    // no committed model: the check fails below
  }
  const same = committed === json;
  console.log(same ? `模型与已提交的一致（${digest(json)}）` : `模型与已提交的不一致：重新训练得到 ${digest(json)}，已提交 ${digest(committed)}`);
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(MODEL_PATH, json);
  console.log(`已写入 checklists/data/model.json（${digest(json)}，${(json.length / 1024).toFixed(0)} KB），用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`);
}
