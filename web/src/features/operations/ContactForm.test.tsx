import '../../test/setup.ts';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { ADULT_AGE_BANDS, MINOR_AGE_BANDS } from '../../../../common/operations.ts';
import { ApiError } from '../../api/client.ts';
import { renderWithQuery } from '../../test/render.tsx';
import { ContactForm } from './ContactForm.tsx';
import { bandsFor, checkContact, dispositionsFor, emptyContact, recordInput, withAccepted, withOffered, withRole } from './contact-form.ts';

const DAY = { operationDay: '2020-10-23', today: '2020-10-24' };

function group(name: string) {
  return screen.getByRole('group', { name });
}

function options(name: string): string[] {
  return within(group(name))
    .getAllByRole('radio')
    .map((r) => (r as HTMLInputElement).labels?.[0]?.textContent ?? '');
}

function errorOf(name: string): string | undefined {
  return group(name).querySelector('.usa-error-message')?.textContent ?? undefined;
}

function renderForm(onSubmit = vi.fn(), serverError?: unknown) {
  renderWithQuery(<ContactForm idPrefix="t" operationDay={DAY.operationDay} submitLabel="Record person" onSubmit={onSubmit} serverError={serverError} />);
  return onSubmit;
}

const tap = (groupName: string, label: string) => fireEvent.click(within(group(groupName)).getByLabelText(label));

describe('field-log rules', () => {
  it('offers the minor bands only for a minor and the adult bands only for an adult potential victim', () => {
    expect(bandsFor('minor')).toEqual([...MINOR_AGE_BANDS, 'unknown']);
    expect(bandsFor('adult_victim')).toEqual([...ADULT_AGE_BANDS, 'unknown']);
    for (const band of MINOR_AGE_BANDS) expect(bandsFor('adult_victim')).not.toContain(band);
    for (const band of ADULT_AGE_BANDS) expect(bandsFor('minor')).not.toContain(band);
    // A suspect or witness may be a juvenile: every band, adults first.
    expect(bandsFor('suspect').slice(0, ADULT_AGE_BANDS.length)).toEqual([...ADULT_AGE_BANDS]);
    expect(bandsFor('witness')).toEqual(expect.arrayContaining([...MINOR_AGE_BANDS, ...ADULT_AGE_BANDS, 'unknown']));
    expect(bandsFor('')).toEqual([]);
  });

  it('keeps protective custody for minors and services for adult potential victims', () => {
    expect(dispositionsFor('minor')[0]).toBe('protective_custody');
    expect(dispositionsFor('adult_victim')[0]).toBe('offered_services');
    for (const role of ['suspect', 'witness', 'adult_victim'] as const) expect(dispositionsFor(role)).not.toContain('protective_custody');
    for (const role of ['suspect', 'witness', 'minor'] as const) expect(dispositionsFor(role)).not.toContain('offered_services');
  });

  it('clears what no longer fits when the role changes', () => {
    let d = withRole(emptyContact(), 'adult_victim');
    d = { ...d, ageBand: '25_to_34', disposition: 'offered_services', sex: 'female' };
    d = withAccepted(withOffered(d, 'food', true), 'food', true);
    const minor = withRole(d, 'minor');
    expect(minor.ageBand).toBe('');
    expect(minor.disposition).toBe('');
    expect(minor.offered).toEqual([]);
    expect(minor.accepted).toEqual([]);
    expect(minor.sex).toBe('female');
    const suspect = withRole({ ...withRole(emptyContact(), 'suspect'), suspectType: 'buyer', ageBand: '35_to_49' }, 'witness');
    expect(suspect.suspectType).toBe('');
    expect(suspect.ageBand).toBe('35_to_49');
  });

  it('takes an acceptance away with its offer, and accepts only what was offered', () => {
    const d = withRole(emptyContact(), 'adult_victim');
    expect(withAccepted(d, 'food', true).accepted).toEqual([]);
    const offered = withAccepted(withOffered(d, 'food', true), 'food', true);
    expect(offered.accepted).toEqual(['food']);
    expect(withOffered(offered, 'food', false).accepted).toEqual([]);
  });

  it('requires role, sex and age band, and nothing else', () => {
    expect(checkContact(emptyContact(), DAY)).toEqual({ role: { kind: 'required' }, sex: { kind: 'required' }, ageBand: { kind: 'required' } });
    const witness = { ...withRole(emptyContact(), 'witness'), sex: 'male' as const, ageBand: 'unknown' as const };
    expect(checkContact(witness, DAY)).toEqual({});
  });

  it('applies the shared impossible-combination rules', () => {
    const adult = { ...withRole(emptyContact(), 'adult_victim'), sex: 'female' as const, ageBand: '18_to_24' as const };
    expect(checkContact({ ...adult, disposition: 'offered_services' }, DAY).services?.kind).toBe('rule');
    expect(checkContact({ ...adult, dob: '2010-01-01' }, DAY).ageBand).toMatchObject({ kind: 'rule' });
    const arrested = { ...withRole(emptyContact(), 'suspect'), sex: 'male' as const, ageBand: '35_to_49' as const, disposition: 'arrested' as const };
    expect(checkContact(arrested, DAY).charges).toMatchObject({ kind: 'rule', message: 'an arrest needs at least one charge' });
    expect(checkContact({ ...arrested, charges: 'Patronizing prostitution (RSMo 567.030)' }, DAY)).toEqual({});
    const minor = { ...withRole(emptyContact(), 'minor'), sex: 'female' as const, ageBand: 'under_5' as const, estimatedAge: '9' };
    expect(checkContact(minor, DAY).estimatedAge).toMatchObject({ kind: 'rule' });
    expect(checkContact({ ...minor, estimatedAge: '40' }, DAY).estimatedAge).toEqual({ kind: 'age' });
  });

  it('sends only what applies, with the clientRef', () => {
    const d = { ...withRole(emptyContact(), 'minor'), sex: 'female' as const, ageBand: 'under_5' as const, estimatedAge: '3', disposition: 'protective_custody' as const, phones: ' ' };
    expect(recordInput(d, 'ref-1')).toEqual({
      clientRef: 'ref-1',
      role: 'minor',
      sex: 'female',
      ageBand: 'under_5',
      estimatedAge: 3,
      disposition: 'protective_custody',
      charges: [],
      aliases: [],
      phones: [],
      services: [],
    });
  });
});

describe('ContactForm', () => {
  it('shows no age band until a role is chosen, then the bands for that role', () => {
    renderForm();
    expect(within(group('Age band')).queryAllByRole('radio')).toHaveLength(0);
    tap('Role', 'Minor');
    expect(options('Age band')).toEqual(['Under 5', '5–11', '12–14', '15–17', 'Unknown']);
    expect(screen.getByLabelText(/Estimated age/)).toBeTruthy();
    tap('Role', 'Adult potential victim');
    expect(options('Age band')).toEqual(['18–24', '25–34', '35–49', '50 and over', 'Unknown']);
    expect(screen.queryByLabelText(/Estimated age/)).toBeNull();
    expect(screen.getByRole('group', { name: 'Services' })).toBeTruthy();
  });

  it('asks for the suspect type only for a suspect, and drops a band that no longer fits', () => {
    renderForm();
    tap('Role', 'Suspect');
    expect(options('Kind of suspect')).toEqual(['Buyer', 'Facilitator', 'Trafficker']);
    tap('Age band', '25–34');
    tap('Role', 'Minor');
    expect(screen.queryByRole('group', { name: 'Kind of suspect' })).toBeNull();
    expect(within(group('Age band')).getAllByRole('radio').some((r) => (r as HTMLInputElement).checked)).toBe(false);
  });

  it('shows required fields beside them and does not send', () => {
    const onSubmit = renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
    expect(errorOf('Role')).toBe("Choose the person's role.");
    expect(errorOf('Sex')).toBe("Choose the person's sex, or Unknown.");
    expect(errorOf('Age band')).toBe('Choose an age band, or Unknown.');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('asks for charges with an arrest, then sends', () => {
    const onSubmit = renderForm();
    tap('Role', 'Suspect');
    tap('Sex', 'Male');
    tap('Age band', '35–49');
    tap('Disposition', 'Arrested with charges');
    fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
    expect(screen.getByLabelText('Charges').getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Charges'), { target: { value: 'Patronizing prostitution' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ role: 'suspect', sex: 'male', ageBand: '35_to_49', disposition: 'arrested' });
  });

  it('records services offered and accepted for an adult potential victim', () => {
    const onSubmit = renderForm();
    tap('Role', 'Adult potential victim');
    tap('Sex', 'Female');
    tap('Age band', '18–24');
    tap('Disposition', 'Offered services');
    fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
    expect(errorOf('Services')).toBe('The disposition offered services needs at least one service offered.');
    const accepted = screen.getByLabelText('Food accepted') as HTMLInputElement;
    expect(accepted.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Food offered'));
    fireEvent.click(screen.getByLabelText('Food accepted'));
    fireEvent.click(screen.getByLabelText('Drug rehabilitation offered'));
    fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(recordInput(onSubmit.mock.calls[0]![0], 'r').services).toEqual([
      { service: 'food', offered: true, accepted: true },
      { service: 'drug_rehabilitation', offered: true, accepted: false },
    ]);
  });

  it("places the server's answer beside the field it names", () => {
    renderForm(vi.fn(), new ApiError(400, 'invalid', 'ageBand: 18–24 contradicts the date of birth: the person was 15 on 2020-10-23', 'ageBand'));
    expect(errorOf('Age band')).toBe('18–24 contradicts the date of birth: the person was 15 on 2020-10-23.');
  });
});
