import '../../test/setup.ts';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { PART2_NOTICE } from '../../../../common/part2.ts';
import { renderWithQuery } from '../../test/render.tsx';
import { ReferralForm } from './ReferralForm.tsx';
import { isPart2 } from './Part2Notice.tsx';

const RISE = { id: '00000000-0000-4000-8000-0000000000b1', name: 'RISE Coalition' };

function renderForm(onSubmit = vi.fn(), initialServices: Parameters<typeof ReferralForm>[0]['initialServices'] = [], defaultCallbackPhone?: string | null) {
  renderWithQuery(<ReferralForm agencies={[RISE]} initialServices={initialServices} personLabel="Person 9" defaultCallbackPhone={defaultCallbackPhone} onSubmit={onSubmit} onCancel={vi.fn()} />);
  return onSubmit;
}

const notice = () => screen.queryByText(PART2_NOTICE);

describe('the 42 CFR Part 2 notice', () => {
  it('is for substance-use services only', () => {
    expect(isPart2(['drug_rehabilitation'])).toBe(true);
    expect(isPart2(['food', 'lodging', 'medical', 'counseling'])).toBe(false);
  });

  it('appears when a substance-use service is chosen and goes when it is not', () => {
    renderForm();
    expect(notice()).toBeNull();
    fireEvent.click(screen.getByLabelText('Counseling/therapy'));
    expect(notice()).toBeNull();
    fireEvent.click(screen.getByLabelText('Drug rehabilitation'));
    expect(notice()).not.toBeNull();
    expect(screen.getByText('42 CFR Part 2: substance-use confidentiality')).toBeTruthy();
    expect(screen.getByText(/Federal confidentiality rules/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Drug rehabilitation'));
    expect(notice()).toBeNull();
  });

  it('shows at once when the person already accepted drug rehabilitation', () => {
    renderForm(vi.fn(), ['food', 'drug_rehabilitation']);
    expect(notice()).not.toBeNull();
  });
});

describe('ReferralForm', () => {
  it('needs the person\'s consent and what the referral carries before sending', () => {
    const onSubmit = renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Send referral' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('A referral needs the person\'s agreement. Tick the box once they have agreed.')).toBeTruthy();
    expect(screen.getByText('Choose at least one service.')).toBeTruthy();
    expect(screen.getByText('First name or alias is required.')).toBeTruthy();
    expect(screen.getByText('Your callback number is required.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('First name or alias'), { target: { value: 'Mari' } });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'Spanish' } });
    fireEvent.click(screen.getByLabelText('Lodging'));
    fireEvent.change(screen.getByLabelText('How to reach the person safely'), { target: { value: 'Text only, never call' } });
    fireEvent.change(screen.getByLabelText('Your callback number'), { target: { value: ' (660) 555-0141 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send referral' }));
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText(/Person 9 agreed to be referred/));
    fireEvent.click(screen.getByRole('button', { name: 'Send referral' }));
    expect(onSubmit).toHaveBeenCalledWith({
      toAgencyId: RISE.id,
      firstName: 'Mari',
      language: 'Spanish',
      services: ['lodging'],
      safeContact: 'Text only, never call',
      callbackPhone: '(660) 555-0141',
      consent: true,
    });
  });

  it('starts the callback number as the officer\'s work phone, which they can still change', () => {
    const onSubmit = renderForm(vi.fn(), ['lodging'], '(816) 555-0142');
    const callback = screen.getByLabelText<HTMLInputElement>('Your callback number');
    expect(callback.value).toBe('(816) 555-0142');
    expect(screen.getByText(/Filled in from the work phone on your account/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('First name or alias'), { target: { value: 'Mari' } });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'Spanish' } });
    fireEvent.change(screen.getByLabelText('How to reach the person safely'), { target: { value: 'Text only' } });
    fireEvent.click(screen.getByLabelText(/Person 9 agreed to be referred/));
    fireEvent.click(screen.getByRole('button', { name: 'Send referral' }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ callbackPhone: '(816) 555-0142' }));
    fireEvent.change(callback, { target: { value: '(660) 555-0141' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send referral' }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ callbackPhone: '(660) 555-0141' }));
  });

  it('starts empty, without the account hint, when the officer has no work phone', () => {
    renderForm(vi.fn(), [], null);
    expect(screen.getByLabelText<HTMLInputElement>('Your callback number').value).toBe('');
    expect(screen.queryByText(/Filled in from the work phone on your account/)).toBeNull();
  });
});
