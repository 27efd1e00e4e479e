import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { TIP_CLOSE_REASONS, TIP_LIMITS, TIP_TRANSITIONS, type TipCloseReason, type TipStatus } from '../../../../common/tips.ts';
import { ApiError } from '../../api/client.ts';
import { useMe } from '../../app/me.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SelectField, TextareaField } from '../../components/Field.tsx';
import { setFlash } from '../../components/flash.ts';
import { splitServerError } from '../../components/forms.ts';
import type { AgencyOption } from './agencies.ts';
import { tipKeys, tipsApi, type TipDto } from './api.ts';
import { closeReasonLabel, statusLabel } from './labels.tsx';

/** Roles that work tips (server/modules/tips/tips.access.ts, TIP_ROLES): whom a tip may be assigned to. */

/**
 * After any change: the tip and the queue are read again. A conflict (409: someone else changed the tip
 * first) also refreshes the tip, so the next try carries its current version and state.
 */
function useTipMutation<V>(tip: TipDto, run: (vars: V) => Promise<unknown>, onDone: (vars: V, answer: unknown) => void) {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: tipKeys.all });
  return useMutation({
    mutationFn: run,
    onSuccess: (answer, vars) => {
      onDone(vars, answer);
      refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: tipKeys.detail(tip.id) });
    },
  });
}

/** Assign to me, or to a colleague of the agency holding the tip. */
export function AssignForm({ tip, onNotice }: { tip: TipDto; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [userId, setUserId] = useState('');
  const [missing, setMissing] = useState(false);
  // The tip workers of the agency holding the tip, as the server lists them for whoever may assign it.
  const people = useQuery({ queryKey: tipKeys.assignees(tip.id), queryFn: ({ signal }) => tipsApi.assignees(tip.id, signal) });
  const colleagues = (people.data?.assignees ?? []).filter((u) => u.id !== me.user.id).map((u) => ({ id: u.id, displayName: u.name }));
  const assign = useTipMutation(tip, (v: { userId: string; name: string }) => tipsApi.assign(tip.id, v.userId, tip.version), (v) => {
    setUserId('');
    onNotice(t('tips.actions.assigned', { name: v.name }));
  });
  const { fields, form } = splitServerError(assign.error, { userId: t('tips.actions.assignee') });
  const assignedToMe = tip.assignedTo?.id === me.user.id;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const person = colleagues.find((c) => c.id === userId);
    if (!person) {
      setMissing(true);
      return;
    }
    assign.mutate({ userId: person.id, name: person.displayName });
  };

  return (
    <div>
      <h3>{t('tips.actions.assignHeading')}</h3>
      {form ? <ErrorAlert error={form} /> : null}
      {fields.userId && colleagues.length === 0 ? <ErrorAlert error={assign.error} /> : null}
      {assignedToMe ? null : (
        <button type="button" className="usa-button usa-button--outline margin-top-2" disabled={assign.isPending} onClick={() => assign.mutate({ userId: me.user.id, name: me.user.displayName })}>
          {t('tips.actions.assignToMe')}
        </button>
      )}
      {colleagues.length > 0 ? (
        <form className="usa-form" noValidate onSubmit={submit}>
          <SelectField
            id="tip-assignee"
            label={t('tips.actions.assignee')}
            value={userId}
            onChange={(e) => {
              setUserId(e.target.value);
              setMissing(false);
            }}
            error={missing ? t('tips.actions.chooseAssignee') : fields.userId}
          >
            <option value="">{t('tips.actions.chooseAssignee')}</option>
            {colleagues.map((c) => (
              <option key={c.id} value={c.id}>
                {c.displayName}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="usa-button usa-button--outline" disabled={assign.isPending}>
            {assign.isPending ? t('common.working') : t('tips.actions.assign')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

/**
 * Move the tip to one of the states TIP_TRANSITIONS allows from where it is. Assigning is done above,
 * so "Assigned" is not offered here; closing asks for a reason and a confirmation.
 */
export function StatusForm({ tip, onNotice }: { tip: TipDto; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  const next = TIP_TRANSITIONS[tip.status].filter((s) => s !== 'assigned' && s !== tip.status);
  const [status, setStatus] = useState<TipStatus | ''>('');
  const [reason, setReason] = useState<TipCloseReason | ''>('');
  const [missing, setMissing] = useState<{ status?: boolean; reason?: boolean }>({});
  const [confirming, setConfirming] = useState(false);
  const change = useTipMutation(tip, (v: { status: TipStatus; reason?: TipCloseReason }) => tipsApi.setStatus(tip.id, v.status, tip.version, v.reason), (v) => {
    setConfirming(false);
    setStatus('');
    setReason('');
    onNotice(t('tips.actions.changed', { status: statusLabel(t, v.status) }));
  });
  const { fields, form } = splitServerError(change.error, { status: t('tips.actions.nextStatus'), reason: t('tips.actions.closeReason') });
  if (next.length === 0) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = { status: !status, reason: status === 'closed' && !reason };
    setMissing(problems);
    if (problems.status || problems.reason || !status) return;
    if (status === 'closed') setConfirming(true);
    else change.mutate({ status });
  };

  return (
    <div>
      <h3>{t('tips.actions.statusHeading')}</h3>
      {form && !confirming ? <ErrorAlert error={form} /> : null}
      <form className="usa-form" noValidate onSubmit={submit}>
        <SelectField
          id="tip-next-status"
          label={t('tips.actions.nextStatus')}
          hint={t('tips.actions.nextStatusHint')}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as TipStatus | '');
            setMissing({});
          }}
          error={missing.status ? t('tips.actions.statusRequired') : fields.status}
        >
          <option value="">{t('tips.actions.chooseStatus')}</option>
          {next.map((s) => (
            <option key={s} value={s}>
              {statusLabel(t, s)}
            </option>
          ))}
        </SelectField>
        {status === 'closed' ? (
          <SelectField
            id="tip-close-reason"
            label={t('tips.actions.closeReason')}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value as TipCloseReason | '');
              setMissing({});
            }}
            error={missing.reason ? t('tips.actions.reasonRequired') : fields.reason}
          >
            <option value="">{t('tips.actions.chooseReason')}</option>
            {TIP_CLOSE_REASONS.map((r) => (
              <option key={r} value={r}>
                {closeReasonLabel(t, r)}
              </option>
            ))}
          </SelectField>
        ) : null}
        <button type="submit" className="usa-button usa-button--outline" disabled={change.isPending}>
          {change.isPending && !confirming ? t('common.working') : t('tips.actions.change')}
        </button>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('tips.actions.confirmCloseTitle')}
        confirmLabel={t('tips.actions.close')}
        danger
        pending={change.isPending}
        onConfirm={() => reason && change.mutate({ status: 'closed', reason })}
        onCancel={() => {
          change.reset();
          setConfirming(false);
        }}
      >
        <p>{t('tips.actions.confirmClose', { reason: reason ? closeReasonLabel(t, reason) : '' })}</p>
        {change.error ? <ErrorAlert error={change.error} /> : null}
      </ConfirmDialog>
    </div>
  );
}

/** Reroute the tip to another agency's queue, or share it with another agency: an agency and a reason. */
export function MoveForm({ tip, which, agencies, onNotice }: { tip: TipDto; which: 'reroute' | 'share'; agencies: AgencyOption[]; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [agencyId, setAgencyId] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<{ agencyId?: boolean; reason?: boolean }>({});
  const already = new Set([tip.agency.id, ...(which === 'share' ? tip.sharedWith.map((s) => s.agencyId) : [])]);
  const choices = agencies.filter((a) => !already.has(a.id));
  const move = useTipMutation(
    tip,
    (v: { agencyId: string; reason: string }) => (which === 'reroute' ? tipsApi.reroute(tip.id, v.agencyId, v.reason, tip.version) : tipsApi.share(tip.id, v.agencyId, v.reason)),
    (v, answer) => {
      const name = agencies.find((a) => a.id === v.agencyId)?.name ?? '';
      setAgencyId('');
      setReason('');
      const message = which === 'reroute' ? t('tips.actions.rerouted', { agency: name }) : t('tips.actions.shared', { agency: name });
      // A tip rerouted out of the reader's agency is no longer theirs to read: back to their queue.
      if (which === 'reroute' && (answer as { readable?: boolean } | undefined)?.readable !== true) {
        setFlash(message);
        void navigate({ to: '/tip-queue' });
        return;
      }
      onNotice(message);
    },
  );
  const { fields, form } = splitServerError(move.error, { agencyId: t('tips.actions.agency'), reason: t('tips.actions.reason') });
  const id = (f: string) => `tip-${which}-${f}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = { agencyId: !agencyId, reason: !reason.trim() };
    setMissing(problems);
    if (problems.agencyId || problems.reason) return;
    move.mutate({ agencyId, reason: reason.trim() });
  };

  return (
    <div>
      <h3>{which === 'reroute' ? t('tips.actions.rerouteHeading') : t('tips.actions.shareHeading')}</h3>
      <p className="lantern-muted">{which === 'reroute' ? t('tips.actions.rerouteLead') : t('tips.actions.shareLead')}</p>
      {form ? <ErrorAlert error={form} /> : null}
      {choices.length === 0 ? (
        <p>{t('tips.actions.noAgencies')}</p>
      ) : (
        <form className="usa-form" noValidate onSubmit={submit}>
          <SelectField
            id={id('agency')}
            label={t('tips.actions.agency')}
            value={agencyId}
            onChange={(e) => {
              setAgencyId(e.target.value);
              setMissing((m) => ({ ...m, agencyId: false }));
            }}
            error={missing.agencyId ? t('tips.actions.agencyRequired') : fields.agencyId}
          >
            <option value="">{t('tips.actions.chooseAgency')}</option>
            {choices.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
          <TextareaField
            id={id('reason')}
            label={t('tips.actions.reason')}
            hint={which === 'reroute' ? t('tips.actions.rerouteReasonHint') : t('tips.actions.shareReasonHint')}
            rows={2}
            maxLength={TIP_LIMITS.shortText}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setMissing((m) => ({ ...m, reason: false }));
            }}
            error={missing.reason ? t('tips.actions.reasonMissing') : fields.reason}
          />
          <button type="submit" className="usa-button usa-button--outline" disabled={move.isPending}>
            {move.isPending ? t('common.working') : which === 'reroute' ? t('tips.actions.reroute') : t('tips.actions.share')}
          </button>
        </form>
      )}
    </div>
  );
}

/** A question to the tipster, who reads it with their receipt. */
export function MessageForm({ tip, onNotice }: { tip: TipDto; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [missing, setMissing] = useState(false);
  const send = useTipMutation(tip, (text: string) => tipsApi.message(tip.id, text), () => {
    setBody('');
    onNotice(t('tips.conversation.sent'));
  });
  const { fields, form } = splitServerError(send.error, { body: t('tips.conversation.ask') });

  return (
    <form
      className="usa-form usa-form--large lantern-form-wide"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!body.trim()) {
          setMissing(true);
          return;
        }
        send.mutate(body.trim());
      }}
    >
      {form ? <ErrorAlert error={form} /> : null}
      <TextareaField
        id="tip-message"
        label={t('tips.conversation.ask')}
        hint={t('tips.conversation.askHint')}
        rows={4}
        maxLength={TIP_LIMITS.message}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          setMissing(false);
        }}
        error={missing ? t('form.required', { label: t('tips.conversation.ask') }) : fields.body}
      />
      <button type="submit" className="usa-button" disabled={send.isPending}>
        {send.isPending ? t('common.working') : t('tips.conversation.send')}
      </button>
    </form>
  );
}
