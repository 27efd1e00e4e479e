import '../../test/setup.ts';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { renderWithQuery } from '../../test/render.tsx';
import { HandOffForm } from './HandOffForm.tsx';

const ME = { id: '00000000-0000-4000-8000-0000000000a1', name: 'Olivia Officer' };
const PARTNER = { id: '00000000-0000-4000-8000-0000000000a2', name: 'Sam Sergeant' };
const DSS = { id: '00000000-0000-4000-8000-0000000000c1', name: "Children's Division" };

describe("the hand-off's officer phone", () => {
  it("starts as my work phone, goes when another officer is chosen (the server uses theirs), and comes back", () => {
    renderWithQuery(<HandOffForm personLabel="Person 3" agencies={[DSS]} officers={[ME, PARTNER]} myUserId={ME.id} myPhone="(816) 555-0142" onSubmit={vi.fn()} onCancel={vi.fn()} />);
    const phone = screen.getByLabelText<HTMLInputElement>(/Officer's phone for the caseworker/);
    const officer = screen.getByLabelText('Officer who took the child');
    expect(phone.value).toBe('(816) 555-0142');
    fireEvent.change(officer, { target: { value: PARTNER.id } });
    expect(phone.value).toBe('');
    fireEvent.change(officer, { target: { value: ME.id } });
    expect(phone.value).toBe('(816) 555-0142');
    // A number typed by hand stays whoever is chosen.
    fireEvent.change(phone, { target: { value: '(660) 555-0187' } });
    fireEvent.change(officer, { target: { value: PARTNER.id } });
    expect(phone.value).toBe('(660) 555-0187');
  });

  it('starts empty without a work phone', () => {
    renderWithQuery(<HandOffForm personLabel="Person 3" agencies={[DSS]} officers={[ME]} myUserId={ME.id} myPhone={null} onSubmit={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByLabelText<HTMLInputElement>(/Officer's phone for the caseworker/).value).toBe('');
  });
});
