import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { emptyDraft, inputIdOfPath, newBusinessInputOf } from './draft.ts';
import { attachmentProblem, today } from './Evidence.tsx';
import { duplicateOf, outcomesFor, stepsOf } from './pipeline.ts';
import { businessFilterOf, validateBusinessesSearch } from './search.ts';

describe('the step indicator', () => {
  it('marks the stages before the business’s own complete, its own current, the rest to come', () => {
    const steps = stepsOf('landlord_notified');
    expect(steps.map((s) => s.stage)).toEqual(['identified', 'verified', 'landlord_identified', 'landlord_notified', 'landlord_responded', 'lease_action', 'closed', 'civil_action', 'criminal_referral']);
    expect(steps.map((s) => s.status)).toEqual(['complete', 'complete', 'complete', 'current', 'upcoming', 'upcoming', 'upcoming', 'upcoming', 'upcoming']);
  });
  it('shows a cleared business at no step (it left the pipeline)', () => {
    expect(stepsOf('cleared').every((s) => s.status === 'upcoming')).toBe(true);
  });
  it('asks for an outcome only where the stage has one', () => {
    expect(outcomesFor('landlord_responded')).toEqual(['committed', 'refused', 'no_response']);
    expect(outcomesFor('closed')).toEqual(['evicted', 'vacated']);
    expect(outcomesFor('verified')).toEqual([]);
  });
});

describe('a duplicate caught at entry', () => {
  const id = '00000000-0000-4000-8000-0000000000e1';
  it('links to the business named in the error’s details', () => {
    const error = new ApiError(409, 'duplicate', 'Golden Lotus Spa at 1201 S Broadway is already in the registry.', undefined, undefined, true, { existing: { id, name: 'Golden Lotus Spa' } });
    expect(duplicateOf(error)).toEqual({ id, message: 'Golden Lotus Spa at 1201 S Broadway is already in the registry.' });
  });
  it('says the server’s message as a sentence, without the field it names', () => {
    const error = new ApiError(409, 'duplicate', `name: Golden Lotus Spa at 1201 S Broadway is already in the registry (business ${id}); open it instead`, 'name', undefined, true, { existing: { id } });
    expect(duplicateOf(error)).toEqual({ id, message: `Golden Lotus Spa at 1201 S Broadway is already in the registry (business ${id}); open it instead.` });
  });
  it('finds the id in the message when the details do not carry it', () => {
    const error = new ApiError(409, 'duplicate', `Already in the registry as business ${id.toUpperCase()}.`);
    expect(duplicateOf(error)?.id).toBe(id);
  });
  it('says so without a link when neither carries it, and ignores other errors', () => {
    expect(duplicateOf(new ApiError(409, 'duplicate', 'Already in the registry.'))).toEqual({ message: 'Already in the registry.' });
    expect(duplicateOf(new ApiError(409, 'conflict', 'Someone changed this business.'))).toBeUndefined();
    expect(duplicateOf(new ApiError(400, 'invalid', 'zip: must be a five-digit ZIP code', 'zip'))).toBeUndefined();
  });
});

describe('the entry form’s request and where errors go', () => {
  const draft = () => {
    const d = emptyDraft();
    d.name = ' Golden Lotus Spa ';
    d.address = '1201 S Broadway';
    d.city = 'Oak Grove';
    d.zip = '64075';
    d.source = 'Site visit';
    d.licenseNumber = 'ML-2231';
    d.facts.phone = [{ value: '816-555-0142', source: '' }, { value: '', source: '' }, { value: '816-555-0199', source: 'Review site' }];
    d.facts.former_name = [{ value: 'Lotus Touch', source: 'County records' }];
    d.operators = [{ kind: 'person', role: 'owner', name: '', detail: '', source: '' }, { kind: 'company', role: 'owner', name: 'Lotus Holdings LLC', detail: '', source: '' }];
    return d;
  };
  it('leaves out empty rows and gives facts and operators without a source the business’s', () => {
    const { input } = newBusinessInputOf(draft());
    expect(input.name).toBe('Golden Lotus Spa');
    expect(input.license).toEqual({ number: 'ML-2231' });
    expect(input.facts).toEqual([
      { kind: 'former_name', value: 'Lotus Touch', source: 'County records' },
      { kind: 'phone', value: '816-555-0142', source: 'Site visit' },
      { kind: 'phone', value: '816-555-0199', source: 'Review site' },
    ]);
    expect(input.operators).toEqual([{ kind: 'company', role: 'owner', name: 'Lotus Holdings LLC', source: 'Site visit' }]);
    expect(input).not.toHaveProperty('countyFips');
  });
  it('puts the server’s `facts.2.value` beside the row it came from, and operators.0 beside the second operator', () => {
    const { places, operatorRows } = newBusinessInputOf(draft());
    expect(inputIdOfPath('facts.2.value', places, operatorRows)).toBe('business-fact-phone-2-value');
    expect(inputIdOfPath('facts.0.source', places, operatorRows)).toBe('business-fact-former_name-0-source');
    expect(inputIdOfPath('operators.0.name', places, operatorRows)).toBe('business-operator-1-name');
    expect(inputIdOfPath('zip', places, operatorRows)).toBe('business-zip');
    expect(inputIdOfPath('license.expires', places, operatorRows)).toBe('business-licenseExpires');
    expect(inputIdOfPath('facts.9.value', places, operatorRows)).toBeUndefined();
    expect(inputIdOfPath('taskForceId', places, operatorRows)).toBe('business-taskForceId');
    expect(inputIdOfPath('tags.0', places, operatorRows)).toBeUndefined();
  });
});

describe('the registry’s URL search', () => {
  it('keeps a known stage, a county FIPS, words and a page; drops the rest', () => {
    expect(validateBusinessesSearch({ stage: 'verified', county: 29095, q: ' lotus ', page: '2', extra: 'x' })).toEqual({ stage: 'verified', county: '29095', q: 'lotus', page: 2 });
    expect(validateBusinessesSearch({ stage: 'nope', county: '2909', page: 0 })).toEqual({});
  });
  it('asks the API for the page’s rows', () => {
    expect(businessFilterOf({ county: '29095', page: 3 })).toEqual({ countyFips: '29095', limit: 25, offset: 50 });
  });
});

describe('evidence attachments', () => {
  it('takes JPEG, PNG and PDF files up to 5 MB', () => {
    expect(attachmentProblem({ type: 'image/png', size: 1000 })).toBeUndefined();
    expect(attachmentProblem({ type: 'image/gif', size: 1000 })).toBe('type');
    expect(attachmentProblem({ type: 'application/pdf', size: 6 * 1024 * 1024 })).toBe('size');
  });
  it('dates evidence today by default, in local time', () => {
    expect(today(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
