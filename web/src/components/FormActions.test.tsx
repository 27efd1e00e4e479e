import '../test/setup.ts';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { FormActions } from './FormActions.tsx';

describe('FormActions', () => {
  it('shows "Save changes" and Cancel, and Cancel calls back', () => {
    const onCancel = vi.fn();
    const { container } = render(<FormActions pending={false} onCancel={onCancel} />);
    expect(container.firstElementChild?.className).toBe('lantern-actions');
    const save = screen.getByRole('button', { name: 'Save changes' });
    expect(save.getAttribute('type')).toBe('submit');
    expect(save.hasAttribute('disabled')).toBe(false);
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(cancel.getAttribute('type')).toBe('button');
    fireEvent.click(cancel);
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('disables the submit and shows the pending words while pending', () => {
    render(<FormActions pending onCancel={() => {}} />);
    const save = screen.getByRole('button', { name: 'Saving…' });
    expect(save.hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
  });

  it('takes its own labels and wrapper class', () => {
    const { container, rerender } = render(<FormActions pending={false} submitLabel="Send" pendingLabel="Sending…" className="lantern-campaign-actions margin-top-2" />);
    expect(container.firstElementChild?.className).toBe('lantern-campaign-actions margin-top-2');
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    rerender(<FormActions pending submitLabel="Send" pendingLabel="Sending…" />);
    expect(screen.getByRole('button', { name: 'Sending…' }).hasAttribute('disabled')).toBe(true);
  });

  it('adds the submit button\'s own classes to the USWDS button', () => {
    render(<FormActions pending={false} submitLabel="Record" submitClassName="usa-button--big lantern-submit-wide" />);
    expect(screen.getByRole('button', { name: 'Record' }).className).toBe('usa-button usa-button--big lantern-submit-wide');
  });

  it('has no Cancel button without onCancel', () => {
    render(<FormActions pending={false} />);
    expect(screen.getAllByRole('button')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});
