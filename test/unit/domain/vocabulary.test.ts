/**
 * The one vocabulary: every map is keyed by exactly the values the domain (or the store, or the report builders)
 * can hold, each with a non-empty Chinese label, and the other layers show these maps rather than copies.
 */
import { expect } from 'chai';
import { CATEGORY_IDS } from '../../../checklists/schema';
import { roles as USER_MODEL_ROLES } from '../../../server/db/models/user';
import { FINDING_DECISIONS } from '../../../server/db/models/finding';
import { COMPLAINT_ACTIONS, COMPLAINT_STATES, RATING_GRADES } from '../../../server/domain/complaint';
import { FINDING_DECISION_STATUSES } from '../../../server/domain/findingReview';
import {
  ANALYSIS_STATUSES,
  CHECKLIST_ITEM_IDS,
  CONCLUSION_OUTCOMES,
  CONSULTATION_AUDIENCES,
  EXCEPTION_SITUATIONS,
  ISSUING_LEVELS,
  LEGAL_BASIS_KINDS,
  POLICY_KINDS,
  POLICY_STATES,
  RECHECK_SOURCES,
  RECORD_ACTIONS,
  SIGN_OFF_VOTES,
  TRANSITION_ACTIONS,
} from '../../../server/domain/policy';
import { DEPARTMENT_KINDS, ROLES } from '../../../server/domain/roles';
import { departmentKinds } from '../../../server/db/models/department';
import { BATCH_STATES } from '../../../server/domain/screeningBatch';
import { DISPOSITIONS, DOCUMENT_STATUSES } from '../../../server/domain/screeningDocument';
import { SPOT_CHECK_OUTCOMES } from '../../../server/domain/spotCheck';
import * as vocabulary from '../../../checklists/vocabulary';
import * as templateLabels from '../../../templates/labels';
import { REPORT_FILE_NAMES, REPORT_KINDS } from '../../../templates/index';

/** Each map of the vocabulary and the values it must name: no more, no fewer. */
const DOMAIN_VALUES: Record<string, readonly string[]> = {
  ROLE_LABELS: ROLES,
  DEPARTMENT_KIND_LABELS: DEPARTMENT_KINDS,
  POLICY_STATE_LABELS: POLICY_STATES,
  POLICY_KIND_LABELS: POLICY_KINDS,
  ISSUING_LEVEL_LABELS: ISSUING_LEVELS,
  CONCLUSION_OUTCOME_LABELS: CONCLUSION_OUTCOMES,
  EXCEPTION_SITUATION_LABELS: EXCEPTION_SITUATIONS,
  LEGAL_BASIS_KIND_LABELS: LEGAL_BASIS_KINDS,
  CONSULTATION_AUDIENCE_LABELS: CONSULTATION_AUDIENCES,
  VOTE_LABELS: SIGN_OFF_VOTES,
  FINDING_DECISION_LABELS: FINDING_DECISIONS,
  ANALYSIS_STATUS_LABELS: ANALYSIS_STATUSES,
  RECHECK_SOURCE_LABELS: RECHECK_SOURCES,
  POLICY_ACTION_LABELS: [...TRANSITION_ACTIONS, ...RECORD_ACTIONS],
  COMPLAINT_STATE_LABELS: COMPLAINT_STATES,
  COMPLAINT_ACTION_LABELS: COMPLAINT_ACTIONS,
  RATING_GRADE_LABELS: RATING_GRADES,
  SPOT_CHECK_OUTCOME_LABELS: SPOT_CHECK_OUTCOMES,
  CHECKLIST_CATEGORY_LABELS: CATEGORY_IDS,
  REPORT_KIND_LABELS: REPORT_KINDS,
  SCREENING_BATCH_STATE_LABELS: BATCH_STATES,
  SCREENING_DOCUMENT_STATUS_LABELS: DOCUMENT_STATUSES,
  DISPOSITION_LABELS: DISPOSITIONS,
};

// FIELD_LABELS names request fields, not domain values: checked on its own below.
const maps = (Object.entries(vocabulary) as Array<[string, Record<string, string>]>).filter(([name]) => name !== 'FIELD_LABELS');

describe('domain/vocabulary (one wording for every layer)', () => {
  it('has a list of domain values for every map it exports, and a map for every list here', () => {
    expect(maps.map(([name]) => name).sort()).to.deep.equal(Object.keys(DOMAIN_VALUES).sort());
  });

  for (const [name, values] of Object.entries(DOMAIN_VALUES)) {
    it(`${name}: keyed by exactly the domain's values, each with a Chinese label`, () => {
      const map = (vocabulary as unknown as Record<string, Record<string, string>>)[name]!;
      expect(Object.keys(map).sort(), `${name} keys`).to.deep.equal([...values].sort());
      for (const [key, label] of Object.entries(map)) expect(label, `${name}.${key}`).to.match(/^[\u4e00-\u9fff（）、，]+$/);
    });
  }

  it('the domain lists agree with their other copies (store enums, checklist ids)', () => {
    expect([...USER_MODEL_ROLES].sort()).to.deep.equal([...ROLES].sort());
    expect([...departmentKinds].sort()).to.deep.equal([...DEPARTMENT_KINDS].sort());
    expect(FINDING_DECISIONS).to.include.members([...FINDING_DECISION_STATUSES]);
    expect([...new Set(CHECKLIST_ITEM_IDS.map((id) => id.split('-')[0]))]).to.deep.equal([...CATEGORY_IDS]);
  });

  it('FIELD_LABELS: every request field and precondition the API names has a Chinese name', () => {
    for (const [field, label] of Object.entries(vocabulary.FIELD_LABELS)) expect(label, field).to.match(/^[\u4e00-\u9fff]/);
    for (const field of ['title', 'username', 'password', 'displayName', 'departmentId', 'role', 'reason', 'periods']) expect(vocabulary.FIELD_LABELS, field).to.have.property(field);
  });

  it('says each state once: no two values of a map share a label', () => {
    for (const [name, map] of maps) {
      const labels = Object.values(map);
      expect(new Set(labels).size, name).to.equal(labels.length);
    }
  });

  it('the reports show the same maps, not copies', () => {
    expect(templateLabels.POLICY_STATE_LABELS).to.equal(vocabulary.POLICY_STATE_LABELS);
    expect(templateLabels.COMPLAINT_STATE_LABELS).to.equal(vocabulary.COMPLAINT_STATE_LABELS);
    expect(templateLabels.POLICY_KIND_LABELS).to.equal(vocabulary.POLICY_KIND_LABELS);
    expect(templateLabels.EXCEPTION_SITUATION_LABELS).to.equal(vocabulary.EXCEPTION_SITUATION_LABELS);
    expect(templateLabels.VOTE_LABELS).to.equal(vocabulary.VOTE_LABELS);
    expect(templateLabels.FINDING_STATUS_LABELS).to.equal(vocabulary.FINDING_DECISION_LABELS);
    expect(templateLabels.CONCLUSION_SHORT_LABELS).to.equal(vocabulary.CONCLUSION_OUTCOME_LABELS);
    expect(REPORT_FILE_NAMES).to.equal(vocabulary.REPORT_KIND_LABELS);
  });
});
