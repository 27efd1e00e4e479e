import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldMessage } from '../../api/client.ts';
import {
  CONTACT_ROLES,
  SCREENING_RESULTS,
  SCREENING_TOOLS,
  SERVICES,
  SEXES,
  SUSPECT_TYPES,
} from '../../../../common/operations.ts';
import { NAME_MAX, SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Checkbox, Fieldset, Radio, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { isoToLocalInput } from '../../components/format.ts';
import {
  bandsFor,
  checkContact,
  dispositionsFor,
  emptyContact,
  fieldOf,
  withAccepted,
  withOffered,
  withRole,
  type ContactDraft,
  type ContactProblemText,
} from './contact-form.ts';

interface ChoiceGroupProps<T extends string> {
  id: string;
  legend: string;
  hint?: string;
  options: readonly T[];
  labelOf: (value: T) => string;
  value: T | '';
  onChange: (value: T) => void;
  error?: string;
  columns?: 2 | 3;
}

/** One question answered with a tap: radio tiles in a grid, big enough for a gloved thumb. */
function ChoiceGroup<T extends string>({ id, legend, hint, options, labelOf, value, onChange, error, columns = 2 }: ChoiceGroupProps<T>) {
  return (
    <Fieldset id={id} legend={legend} hint={hint} error={error}>
      <div className={`lantern-choices lantern-choices--${columns}`}>
        {options.map((option) => (
          <Radio
            key={option}
            id={`${id}-${option}`}
            name={id}
            value={option}
            tile
            label={labelOf(option)}
            checked={value === option}
            onChange={() => onChange(option)}
          />
        ))}
      </div>
    </Fieldset>
  );
}

/** A section that opens on demand (USWDS accordion), for what can wait: a person's identity. */
function Disclosure({ id, title, children, open, onToggle }: { id: string; title: string; children: ReactNode; open: boolean; onToggle: () => void }) {
  return (
    <div className="usa-accordion usa-accordion--bordered lantern-disclosure">
      <h3 className="usa-accordion__heading">
        <button type="button" className="usa-accordion__button" aria-expanded={open} aria-controls={id} onClick={onToggle}>
          {title}
        </button>
      </h3>
      <div id={id} className="usa-accordion__content usa-prose" hidden={!open}>
        {children}
      </div>
    </div>
  );
}

export interface ContactFormProps {
  idPrefix: string;
  initial?: ContactDraft;
  /** YYYY-MM-DD: the operation's first day, against which a date of birth is measured. */
  operationDay: string;
  submitLabel: string;
  pending?: boolean;
  /** The failed request's error, placed beside the field it names. */
  serverError?: unknown;
  /** A closed operation's record changes only by correction, with a reason. */
  correction?: boolean;
  onSubmit: (draft: ContactDraft, correctionReason?: string) => void;
  onCancel?: () => void;
  /** Shown above the submit button (e.g. "not sent yet: try again"). */
  footer?: ReactNode;
}

/**
 * One person contacted, recorded in a few taps: role, sex, age band and disposition as tiles; the
 * rest (identity, screening, services) only where it applies. Checks the same impossible combinations
 * as the server before sending, and places the server's answer beside the field it names.
 */
export function ContactForm({ idPrefix, initial, operationDay, submitLabel, pending, serverError, correction, onSubmit, onCancel, footer }: ContactFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ContactDraft>(initial ?? emptyContact());
  const [problems, setProblems] = useState<Record<string, ContactProblemText>>({});
  const [identityOpen, setIdentityOpen] = useState(Boolean(initial && (initial.name || initial.aliases || initial.dob || initial.phones)));
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const identityId = useId();

  const set = <K extends keyof ContactDraft>(key: K, value: ContactDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const labels = {
    role: t('contact.role'),
    suspectType: t('contact.suspectType'),
    sex: t('contact.sex'),
    ageBand: t('contact.ageBand'),
    estimatedAge: t('contact.estimatedAge'),
    disposition: t('contact.disposition'),
    charges: t('contact.charges'),
    name: t('contact.name'),
    aliases: t('contact.aliases'),
    dob: t('contact.dob'),
    phones: t('contact.phones'),
    screening: t('contact.screening'),
    services: t('contact.services'),
    correctionReason: t('contact.correctionReason'),
  };
  const labelOf = (field: string): string | undefined => (labels as Record<string, string>)[field];
  const placed = placeServerError(serverError, (path) => labelOf(fieldOf(path)));
  const serverErrors: Record<string, string> = {};
  for (const [path, message] of Object.entries(placed.fields)) serverErrors[fieldOf(path)] = message;

  const problemText = (field: string, p: ContactProblemText): string => {
    const label = labelOf(field) ?? field;
    switch (p.kind) {
      case 'required':
        return field === 'role' || field === 'sex' || field === 'ageBand' ? t(`contact.required.${field}`) : t('form.required', { label });
      case 'phone':
        return t('contact.phonesInvalid');
      case 'age':
        return t('contact.estimatedAgeInvalid');
      case 'screening':
        return t('contact.screeningIncomplete');
      case 'rule':
        return fieldMessage(label, new ApiError(400, 'invalid', p.message, field));
    }
  };
  const errorAt = (field: string) => (problems[field] ? problemText(field, problems[field]) : serverErrors[field]);

  const today = isoToLocalInput(new Date().toISOString()).slice(0, 10);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkContact(draft, { operationDay, today });
    setProblems(found);
    const missingReason = Boolean(correction) && !reason.trim();
    setReasonMissing(missingReason);
    if (Object.keys(found).length > 0 || missingReason) {
      if (found.name || found.aliases || found.dob || found.phones) setIdentityOpen(true);
      focusFirstError();
      return;
    }
    onSubmit(draft, correction ? reason.trim() : undefined);
  };

  const bands = bandsFor(draft.role);
  const dispositions = dispositionsFor(draft.role);

  return (
    <form ref={ref} className="usa-form lantern-contact-form" noValidate onSubmit={submit} aria-label={submitLabel}>
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <ChoiceGroup
        id={`${idPrefix}-role`}
        legend={labels.role}
        options={CONTACT_ROLES}
        labelOf={(r) => t(`contactRoles.${r}`)}
        value={draft.role}
        onChange={(role) => setDraft((d) => withRole(d, role))}
        error={errorAt('role')}
      />
      {draft.role === 'suspect' ? (
        <ChoiceGroup
          id={`${idPrefix}-suspect-type`}
          legend={labels.suspectType}
          hint={t('contact.suspectTypeHint')}
          options={SUSPECT_TYPES}
          labelOf={(s) => t(`suspectTypes.${s}`)}
          value={draft.suspectType}
          onChange={(v) => set('suspectType', v)}
          error={errorAt('suspectType')}
          columns={3}
        />
      ) : null}
      <ChoiceGroup
        id={`${idPrefix}-sex`}
        legend={labels.sex}
        options={SEXES}
        labelOf={(s) => t(`sexes.${s}`)}
        value={draft.sex}
        onChange={(v) => set('sex', v)}
        error={errorAt('sex')}
        columns={3}
      />
      {draft.role ? (
        <ChoiceGroup
          id={`${idPrefix}-band`}
          legend={labels.ageBand}
          hint={draft.role === 'minor' ? t('contact.ageBandMinorHint') : draft.role === 'adult_victim' ? t('contact.ageBandAdultHint') : undefined}
          options={bands}
          labelOf={(b) => t(`ageBands.${b}`)}
          value={draft.ageBand}
          onChange={(v) => set('ageBand', v)}
          error={errorAt('ageBand')}
        />
      ) : (
        <Fieldset id={`${idPrefix}-band`} legend={labels.ageBand} error={errorAt('ageBand')}>
          <p className="usa-hint">{t('contact.ageBandChooseRole')}</p>
        </Fieldset>
      )}
      {draft.role === 'minor' ? (
        <>
          <TextField
            id={`${idPrefix}-estimated-age`}
            label={labels.estimatedAge}
            hint={t('contact.estimatedAgeHint')}
            optional
            inputMode="numeric"
            autoComplete="off"
            maxLength={2}
            groupClassName="lantern-narrow"
            value={draft.estimatedAge}
            onChange={(e) => set('estimatedAge', e.target.value)}
            error={errorAt('estimatedAge')}
          />
          <p className="usa-hint lantern-custody-prompt">{t('contact.minorCustodyPrompt')}</p>
        </>
      ) : null}
      {draft.role ? (
        <ChoiceGroup
          id={`${idPrefix}-disposition`}
          legend={labels.disposition}
          hint={t('contact.dispositionHint')}
          options={dispositions}
          labelOf={(v) => t(`dispositions.${v}`)}
          value={draft.disposition}
          onChange={(v) => set('disposition', v)}
          error={errorAt('disposition')}
        />
      ) : null}
      {draft.disposition === 'arrested' ? (
        <TextareaField
          id={`${idPrefix}-charges`}
          label={labels.charges}
          hint={t('contact.chargesHint')}
          rows={3}
          value={draft.charges}
          onChange={(e) => set('charges', e.target.value)}
          error={errorAt('charges')}
        />
      ) : null}

      {draft.role === 'adult_victim' ? (
        <>
          <Fieldset id={`${idPrefix}-services`} legend={labels.services} hint={t('contact.servicesHint')} error={errorAt('services')}>
            <table className="usa-table usa-table--borderless lantern-services-table">
              <caption className="usa-sr-only">{t('contact.servicesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('contact.service')}</th>
                  <th scope="col">{t('contact.offered')}</th>
                  <th scope="col">{t('contact.accepted')}</th>
                </tr>
              </thead>
              <tbody>
                {SERVICES.map((s) => (
                  <tr key={s}>
                    <th scope="row">{t(`services.${s}`)}</th>
                    <td>
                      <Checkbox
                        id={`${idPrefix}-offered-${s}`}
                        label={<span className="usa-sr-only">{t('contact.offeredService', { service: t(`services.${s}`) })}</span>}
                        checked={draft.offered.includes(s)}
                        onChange={(e) => setDraft((d) => withOffered(d, s, e.target.checked))}
                      />
                    </td>
                    <td>
                      <Checkbox
                        id={`${idPrefix}-accepted-${s}`}
                        label={<span className="usa-sr-only">{t('contact.acceptedService', { service: t(`services.${s}`) })}</span>}
                        checked={draft.accepted.includes(s)}
                        disabled={!draft.offered.includes(s)}
                        onChange={(e) => setDraft((d) => withAccepted(d, s, e.target.checked))}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Fieldset>
          <Fieldset id={`${idPrefix}-screening`} legend={labels.screening} hint={t('contact.screeningHint')} error={errorAt('screening')}>
            <SelectField id={`${idPrefix}-screening-tool`} label={t('contact.screeningTool')} optional value={draft.screeningTool} onChange={(e) => set('screeningTool', e.target.value)}>
              <option value="">{t('contact.notScreened')}</option>
              {SCREENING_TOOLS.map((tool) => (
                <option key={tool} value={tool}>
                  {t(`screeningTools.${tool}`)}
                </option>
              ))}
            </SelectField>
            <SelectField id={`${idPrefix}-screening-result`} label={t('contact.screeningResult')} optional value={draft.screeningResult} onChange={(e) => set('screeningResult', e.target.value)}>
              <option value="">{t('form.select')}</option>
              {SCREENING_RESULTS.map((result) => (
                <option key={result} value={result}>
                  {t(`screeningResults.${result}`)}
                </option>
              ))}
            </SelectField>
          </Fieldset>
        </>
      ) : null}

      <Disclosure id={identityId} title={t('contact.identityHeading')} open={identityOpen} onToggle={() => setIdentityOpen((o) => !o)}>
        <p className="usa-hint">{t('contact.identityHint')}</p>
        <TextField id={`${idPrefix}-name`} label={labels.name} optional autoComplete="off" maxLength={NAME_MAX} value={draft.name} onChange={(e) => set('name', e.target.value)} error={errorAt('name')} />
        <TextareaField id={`${idPrefix}-aliases`} label={labels.aliases} hint={t('contact.onePerLine')} optional rows={2} value={draft.aliases} onChange={(e) => set('aliases', e.target.value)} error={errorAt('aliases')} />
        <TextField id={`${idPrefix}-dob`} type="date" label={labels.dob} optional groupClassName="lantern-narrow" value={draft.dob} onChange={(e) => set('dob', e.target.value)} error={errorAt('dob')} />
        <TextareaField id={`${idPrefix}-phones`} label={labels.phones} hint={t('contact.phonesHint')} optional rows={2} value={draft.phones} onChange={(e) => set('phones', e.target.value)} error={errorAt('phones')} />
      </Disclosure>

      {correction ? (
        <TextareaField
          id={`${idPrefix}-reason`}
          label={labels.correctionReason}
          hint={t('contact.correctionReasonHint')}
          rows={2}
          maxLength={SHORT_TEXT_MAX}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={reasonMissing ? t('contact.correctionReasonRequired') : serverErrors.correctionReason}
        />
      ) : null}

      {footer}
      <FormActions pending={pending ?? false} submitLabel={submitLabel} onCancel={onCancel} submitClassName="usa-button--big lantern-submit-wide" />
    </form>
  );
}
