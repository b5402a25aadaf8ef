import { expect } from 'chai';
import { currentPin, readPin } from '../../support/pinnedAnalysis.js';

describe('analysis results are pinned (test/fixtures/analysis-pin.json)', function () {
  this.timeout(120_000);

  it('gives the pinned findings, scores and model features on the fixtures', () => {
    const pinned = readPin();
    const current = currentPin();
    const rewrite = 'if the change was meant to alter results, rewrite the pin: npx tsx test/support/pinnedAnalysis.ts --write';
    expect({ checklistVersion: current.checklistVersion, model: current.model }, `rules or model changed since the pin was taken; ${rewrite}`).to.deep.equal({
      checklistVersion: pinned.checklistVersion,
      model: pinned.model,
    });
    for (const [part, digest] of Object.entries(pinned.digests)) {
      expect(current.digests[part], `results on the ${part} changed; ${rewrite}`).to.equal(digest);
    }
    expect(Object.keys(current.digests)).to.deep.equal(Object.keys(pinned.digests));
  });
});
