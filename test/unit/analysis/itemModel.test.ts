import { expect } from 'chai';
import { ItemModel, textFeatures } from '../../../workers/analysis/match/itemModel.js';

/** Splits on spaces: enough to see the model's arithmetic without jieba. */
const bySpace = (text: string) => text.split(' ').filter((t) => t.length > 0);
const features = (text: string) => textFeatures(bySpace(text), text);

describe('item model (naive Bayes over tokens and character bigrams)', () => {
  it('takes the tokens and the bigrams of adjacent Chinese characters, not across other characters', () => {
    expect([...features('本市 注册')]).to.deep.equal(['本市', '注册', '#本市', '#注册']);
    expect([...features('本市注册')]).to.deep.equal(['本市注册', '#本市', '#市注', '#注册']);
  });

  it('ranks the item whose training clauses share the features above the others', () => {
    const docs = [
      { text: '投标人 须 本市 注册', item: 0 },
      { text: '投标人 本市 业绩 加分', item: 0 },
      { text: '外地 分公司 设立', item: 1 },
      { text: '外地 企业 设立 子公司', item: 1 },
    ].map((d) => ({ features: features(d.text), itemIndex: d.item }));
    const model = new ItemModel(docs, 2, 0.5);
    const [bidding, establishment] = model.logLikelihoods(features('投标人 本市 注册'), [0, 1]);
    expect(bidding).to.be.greaterThan(establishment!);
    const [b2, e2] = model.logLikelihoods(features('外地 设立 分公司'), [0, 1]);
    expect(e2).to.be.greaterThan(b2!);
  });

  it('ignores features never seen in training, and answers only for the items asked', () => {
    const model = new ItemModel([{ features: new Set(['甲']), itemIndex: 0 }], 3, 1);
    const withUnknown = model.logLikelihoods(new Set(['甲', '从未见过']), [0, 2]);
    expect(withUnknown).to.deep.equal(model.logLikelihoods(new Set(['甲']), [0, 2]));
    expect(withUnknown).to.have.length(2);
    expect(withUnknown[0]).to.be.greaterThan(withUnknown[1]!);
  });
});
