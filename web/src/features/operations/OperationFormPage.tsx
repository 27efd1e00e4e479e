import { lazy, Suspense, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DEFAULT_RADIUS_M, MAX_RADIUS_M, OPERATION_TYPES, SUBJECT_KINDS, type SubjectKind } from '../../../../common/operations.ts';
import { LONG_TEXT_MAX, NAME_MAX, PHONE_MAX, SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import type { AgencyKind } from '../../../../common/roles.ts';
import { ApiError } from '../../api/client.ts';
import { operations } from '../../api/endpoints.ts';
import { keys, operationQuery, taskForceQuery, usersQuery } from '../../api/queries.ts';
import type { OperationDto, UserDto } from '../../api/types.ts';
import { useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, Radio, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { setFlash } from '../../components/flash.ts';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { coordinate, useStateCounties } from './geo.ts';
import { LocationSearch } from './LocationSearch.tsx';
import {
  blankLocation,
  blankSubject,
  checkDraft,
  draftFromOperation,
  emptyDraft,
  participantRole,
  planInput,
  staffsOperations,
  updateInput,
  type LocationDraft,
  type PlanDraft,
  type PlanProblem,
} from './plan-form.ts';

const editRoute = getRouteApi('/app/operations/$operationId/edit');
/** The map picker (d3-geo and the county shapes, or the operator's tiles) loads only with the form. */
const LocationPicker = lazy(() => import('./LocationPicker.tsx'));

/** A coordinate field's number, or null while it is blank or not a number. */
const typedNumber = (value: string) => (value.trim() && Number.isFinite(Number(value)) ? Number(value) : null);

const STAFF_ROLES = new Set(['officer', 'coordinator', 'analyst']);
const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

interface PlanFormProps {
  initial: PlanDraft;
  operation?: OperationDto;
  leadAgencyId: string;
  leadAgencyName: string;
  onSaved: (dto: OperationDto) => void;
  onCancel: () => void;
}

function PlanForm({ initial, operation, leadAgencyId, leadAgencyName, onSaved, onCancel }: PlanFormProps) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PlanDraft>(initial);
  const [problems, setProblems] = useState<Record<string, PlanProblem>>({});
  const [nothingChanged, setNothingChanged] = useState(false);
  const sent = useRef<{ participants: string[]; assigned: string[] }>({ participants: [], assigned: [] });
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const editing = operation !== undefined;
  const needsTaskForce = !editing && me.taskForces.length > 1;

  const set = <K extends keyof PlanDraft>(key: K, value: PlanDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setLocation = (index: number, patch: Partial<LocationDraft>) =>
    setDraft((d) => ({ ...d, locations: d.locations.map((l, i) => (i === index ? { ...l, ...patch } : l)) }));

  const taskForce = useQuery({ ...taskForceQuery(draft.taskForceId), enabled: Boolean(draft.taskForceId) });
  const counties = useStateCounties();

  // Agencies and their kinds: the task force's members, and (editing) those already in the plan.
  const kinds = useMemo(() => {
    const map = new Map<string, AgencyKind>();
    for (const p of operation?.participants ?? []) map.set(p.agencyId, p.kind);
    for (const m of taskForce.data?.members ?? []) map.set(m.agencyId, m.kind);
    return map;
  }, [operation, taskForce.data]);
  const partners = useMemo(() => {
    const list = new Map<string, { agencyId: string; name: string; kind: AgencyKind }>();
    for (const p of operation?.participants ?? []) if (p.agencyId !== leadAgencyId) list.set(p.agencyId, { agencyId: p.agencyId, name: p.name, kind: p.kind });
    for (const m of taskForce.data?.members ?? []) if (m.agencyId !== leadAgencyId) list.set(m.agencyId, { agencyId: m.agencyId, name: m.name, kind: m.kind });
    return [...list.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [operation, taskForce.data, leadAgencyId]);

  // People who may be assigned: officers, coordinators and analysts of the lead and of participating
  // law-enforcement or prosecuting agencies (a coordinator sees partner agencies' users).
  const staffAgencies = [leadAgencyId, ...draft.participantIds.filter((id) => kinds.has(id) && staffsOperations(kinds.get(id)!))];
  // No placeholder here: an observer that moves to another agency must not show the last one's people.
  const userLists = useQueries({ queries: staffAgencies.map((agencyId) => ({ ...usersQuery({ agencyId }), placeholderData: undefined, retry: false })) });
  const staff: UserDto[] = [
    ...new Map(
      userLists
        .flatMap((q) => q.data?.users ?? [])
        .filter((u) => staffAgencies.includes(u.agencyId) && !u.disabled && u.roles.some((r) => STAFF_ROLES.has(r)))
        .map((u) => [u.id, u]),
    ).values(),
  ];
  const staffById = new Map(staff.map((u) => [u.id, u]));
  // Keep assignments already in the plan visible even if their agency's users cannot be listed.
  const assignedNames = new Map((operation?.assignments ?? []).map((a) => [a.userId, `${a.name} (${a.agencyName})`]));
  const usersLoading = userLists.some((q) => q.isPending);

  const save = useMutation({
    mutationFn: async () => {
      if (operation) return operations.update(operation.id, updateInput(initial, draft, kinds, operation.version));
      return operations.plan(planInput(draft, kinds));
    },
    onSuccess: (dto) => {
      void queryClient.invalidateQueries({ queryKey: keys.operationsAll });
      queryClient.setQueryData(keys.operation(dto.id), dto);
      // Saving answers with the deconfliction result at once: the operation page shows it first.
      const open = dto.conflicts.filter((c) => c.status === 'open').length;
      if (open > 0) setFlash(t('planForm.savedWithConflicts', { count: open }), 'warning');
      else setFlash(t('planForm.savedNoConflicts'));
      onSaved(dto);
    },
    onError: () => focusFirstError(),
  });

  const labels: Record<string, string> = {
    name: t('planForm.name'),
    type: t('planForm.type'),
    startsAt: t('planForm.startsAt'),
    endsAt: t('planForm.endsAt'),
    taskForceId: t('planForm.taskForce'),
    locations: t('planForm.locationsHeading'),
    participants: t('planForm.participants'),
    assignedUserIds: t('planForm.assigned'),
    'commander.userId': t('planForm.commanderPick'),
    'commander.name': t('planForm.commanderName'),
    'commander.phone': t('planForm.commanderPhone'),
    briefing: t('planForm.briefing'),
    investigationHold: t('planForm.hold'),
  };
  const locationLabels: Record<string, string> = {
    label: t('planForm.locationLabel'),
    countyFips: t('planForm.county'),
    lat: t('planForm.lat'),
    lng: t('planForm.lng'),
    radiusM: t('planForm.radius'),
  };
  const subjectLabels: Record<string, string> = { kind: t('planForm.subjectKind'), value: t('planForm.subjectValue') };

  /** The label for a path the server names; list items are named by what they are (an agency, a person). */
  const labelFor = (path: string): string | undefined => {
    if (labels[path]) return labels[path];
    let m = /^locations\.(\d+)\.(\w+)$/.exec(path);
    if (m) return locationLabels[m[2]!];
    m = /^subjects\.(\d+)\.(\w+)$/.exec(path);
    if (m) return subjectLabels[m[2]!];
    m = /^participants\.(\d+)(\.\w+)?$/.exec(path);
    if (m) return partners.find((p) => p.agencyId === sent.current.participants[Number(m![1])])?.name ?? labels.participants;
    m = /^assignedUserIds\.(\d+)$/.exec(path);
    if (m) {
      const id = sent.current.assigned[Number(m[1])];
      return (id && (staffById.get(id)?.displayName ?? assignedNames.get(id))) || labels.assignedUserIds;
    }
    return undefined;
  };
  const placed = placeServerError(save.error, labelFor);
  const serverErrors: Record<string, string> = {};
  for (const [path, message] of Object.entries(placed.fields)) {
    const key = /^participants\./.test(path) ? 'participants' : /^assignedUserIds\./.test(path) ? 'assignedUserIds' : path;
    serverErrors[key] = message;
  }
  const stale = save.error instanceof ApiError && save.error.status === 409 && save.error.field === 'version';

  const problemText = (path: string, problem: PlanProblem): string => {
    const label = labelFor(path) ?? '';
    switch (problem) {
      case 'required':
        return t('form.required', { label });
      case 'endBeforeStart':
        return t('planForm.endBeforeStart');
      case 'latitude':
        return t('planForm.latInvalid');
      case 'longitude':
        return t('planForm.lngInvalid');
      case 'radius':
        return t('planForm.radiusInvalid', { max: MAX_RADIUS_M });
      case 'phone':
        return t('planForm.phoneInvalid');
      case 'locationsRequired':
        return t('planForm.locationsRequired');
    }
  };
  const errorAt = (path: string): string | undefined => {
    const problem = problems[path];
    return problem ? problemText(path, problem) : serverErrors[path];
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    setNothingChanged(false);
    const found = checkDraft(draft, { needsTaskForce });
    setProblems(found);
    if (Object.keys(found).length > 0) {
      focusFirstError();
      return;
    }
    if (operation) {
      const changes = updateInput(initial, draft, kinds, operation.version);
      if (Object.keys(changes).every((k) => k === 'version')) {
        setNothingChanged(true);
        return;
      }
    }
    sent.current = { participants: planInput(draft, kinds).participants?.map((p) => p.agencyId) ?? [], assigned: draft.assignedUserIds };
    save.mutate();
  };

  const reloadTheirs = () => {
    void queryClient.invalidateQueries({ queryKey: keys.operation(operation!.id) });
  };

  const defaultRadius = draft.type ? DEFAULT_RADIUS_M[draft.type] : undefined;
  const countyOptions = counties.data ?? [];

  const toggle = (list: string[], id: string, on: boolean) => (on ? [...new Set([...list, id])] : list.filter((x) => x !== id));

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide lantern-plan-form" noValidate onSubmit={submit}>
      {stale ? (
        <div tabIndex={-1} data-form-error className="lantern-focusable">
          <Alert type="error" heading={t('planForm.staleHeading')} headingLevel="h2">
            <p className="usa-alert__text">{t('planForm.stale')}</p>
            <button type="button" className="usa-button usa-button--outline" onClick={reloadTheirs}>
              {t('planForm.reload')}
            </button>
          </Alert>
        </div>
      ) : placed.form ? (
        <ErrorAlert error={placed.form} />
      ) : null}
      {nothingChanged ? (
        <Alert type="info" slim announce>
          {t('planForm.nothingChanged')}
        </Alert>
      ) : null}
      {operation?.status === 'approved' ? (
        <Alert type="warning" slim announce={false}>
          {t('planForm.approvedReturnsToDraft')}
        </Alert>
      ) : null}

      <section className="lantern-form-section" aria-labelledby="plan-what">
        <h2 id="plan-what">{t('planForm.whatHeading')}</h2>
        <TextField id="plan-name" label={labels.name} hint={t('planForm.nameHint')} maxLength={NAME_MAX} value={draft.name} onChange={(e) => set('name', e.target.value)} error={errorAt('name')} />
        <Fieldset id="plan-type" legend={labels.type} error={errorAt('type')}>
          {OPERATION_TYPES.map((type) => (
            <Radio
              key={type}
              id={`plan-type-${type}`}
              name="plan-type"
              value={type}
              label={t(`operations.types.${type}`)}
              description={t('planForm.typeRadius', { radius: DEFAULT_RADIUS_M[type] })}
              checked={draft.type === type}
              onChange={() => set('type', type)}
            />
          ))}
        </Fieldset>
        <div className="lantern-two-up">
          <TextField
            id="plan-starts"
            type="datetime-local"
            label={labels.startsAt}
            hint={t('planForm.localTime', { zone: timeZone() })}
            value={draft.startsAt}
            onChange={(e) => set('startsAt', e.target.value)}
            error={errorAt('startsAt')}
          />
          <TextField
            id="plan-ends"
            type="datetime-local"
            label={labels.endsAt}
            hint={t('planForm.localTime', { zone: timeZone() })}
            min={draft.startsAt || undefined}
            value={draft.endsAt}
            onChange={(e) => set('endsAt', e.target.value)}
            error={errorAt('endsAt')}
          />
        </div>
        {needsTaskForce ? (
          <SelectField
            id="plan-task-force"
            label={labels.taskForceId}
            value={draft.taskForceId}
            onChange={(e) => setDraft((d) => ({ ...d, taskForceId: e.target.value, participantIds: [], assignedUserIds: [] }))}
            error={errorAt('taskForceId')}
          >
            <option value="">{t('form.select')}</option>
            {me.taskForces.map((tf) => (
              <option key={tf.id} value={tf.id}>
                {tf.name}
              </option>
            ))}
          </SelectField>
        ) : (
          <div className="usa-form-group">
            <p className="usa-label">{labels.taskForceId}</p>
            <p>{operation?.taskForce.name ?? me.taskForces.find((tf) => tf.id === draft.taskForceId)?.name}</p>
          </div>
        )}
      </section>

      <section className="lantern-form-section" aria-labelledby="plan-where">
        <h2 id="plan-where">{labels.locations}</h2>
        <p className="usa-hint">{t('planForm.locationsHint')}</p>
        {errorAt('locations') ? (
          <span className="usa-error-message" role="alert">
            {errorAt('locations')}
          </span>
        ) : null}
        {draft.locations.map((loc, i) => {
          const at = (f: string) => errorAt(`locations.${i}.${f}`);
          const known = countyOptions.some((c) => c.fips === loc.countyFips);
          return (
            <fieldset key={loc.key} className="usa-fieldset lantern-repeat">
              <legend className="usa-legend lantern-repeat__legend">{t('planForm.locationN', { n: i + 1 })}</legend>
              <LocationSearch
                id={`loc-${i}-search`}
                onPick={(c) =>
                  setLocation(i, {
                    lat: coordinate(c.lat),
                    lng: coordinate(c.lon),
                    ...(c.countyFips && countyOptions.some((o) => o.fips === c.countyFips) ? { countyFips: c.countyFips } : {}),
                    ...(loc.label.trim() ? {} : { label: c.label.slice(0, SHORT_TEXT_MAX) }),
                  })
                }
              />
              <TextField id={`loc-${i}-label`} label={locationLabels.label} hint={t('planForm.locationLabelHint')} maxLength={SHORT_TEXT_MAX} value={loc.label} onChange={(e) => setLocation(i, { label: e.target.value })} error={at('label')} />
              <SelectField
                id={`loc-${i}-county`}
                label={locationLabels.countyFips}
                hint={counties.isPending ? t('planForm.countiesLoading') : undefined}
                value={loc.countyFips}
                onChange={(e) => setLocation(i, { countyFips: e.target.value })}
                error={at('countyFips')}
              >
                <option value="">{t('form.select')}</option>
                {loc.countyFips && !known ? <option value={loc.countyFips}>{operation?.locations[i]?.countyName ?? loc.countyFips}</option> : null}
                {countyOptions.map((c) => (
                  <option key={c.fips} value={c.fips}>
                    {t('planForm.countyOption', { name: c.name, fips: c.fips })}
                  </option>
                ))}
              </SelectField>
              <div className="lantern-two-up">
                <TextField id={`loc-${i}-lat`} label={locationLabels.lat} hint={t('planForm.latHint')} inputMode="decimal" autoComplete="off" value={loc.lat} onChange={(e) => setLocation(i, { lat: e.target.value })} error={at('lat')} />
                <TextField id={`loc-${i}-lng`} label={locationLabels.lng} hint={t('planForm.lngHint')} inputMode="decimal" autoComplete="off" value={loc.lng} onChange={(e) => setLocation(i, { lng: e.target.value })} error={at('lng')} />
              </div>
              <div className="usa-form-group">
                <p className="usa-label">{t('planForm.map.heading')}</p>
                <Suspense fallback={<Loading label={t('planForm.map.loading')} />}>
                  <LocationPicker
                    name={t('planForm.locationN', { n: i + 1 })}
                    lat={typedNumber(loc.lat)}
                    lng={typedNumber(loc.lng)}
                    radiusM={typedNumber(loc.radiusM) ?? defaultRadius ?? 250}
                    onPick={(lat, lng, fips) =>
                      setLocation(i, { lat: coordinate(lat), lng: coordinate(lng), ...(fips && countyOptions.some((o) => o.fips === fips) ? { countyFips: fips } : {}) })
                    }
                  />
                </Suspense>
              </div>
              <TextField
                id={`loc-${i}-radius`}
                label={locationLabels.radiusM}
                optional
                hint={defaultRadius ? t('planForm.radiusHint', { radius: defaultRadius }) : t('planForm.radiusHintNoType')}
                inputMode="numeric"
                autoComplete="off"
                value={loc.radiusM}
                onChange={(e) => setLocation(i, { radiusM: e.target.value })}
                error={at('radiusM')}
              />
              {draft.locations.length > 1 ? (
                <button
                  type="button"
                  className="usa-button usa-button--unstyled"
                  onClick={() => setDraft((d) => ({ ...d, locations: d.locations.filter((_, j) => j !== i) }))}
                >
                  {t('planForm.removeLocation', { n: i + 1 })}
                </button>
              ) : null}
            </fieldset>
          );
        })}
        <button type="button" className="usa-button usa-button--outline" onClick={() => setDraft((d) => ({ ...d, locations: [...d.locations, blankLocation()] }))}>
          {t('planForm.addLocation')}
        </button>
      </section>

      <section className="lantern-form-section" aria-labelledby="plan-who">
        <h2 id="plan-who">{t('planForm.whoHeading')}</h2>
        <p>
          <strong>{t('planForm.leadAgency')}</strong> {leadAgencyName}
        </p>
        <Fieldset id="plan-participants" legend={labels.participants} hint={t('planForm.participantsHint')} error={errorAt('participants')}>
          {taskForce.isPending && draft.taskForceId ? <Loading label={t('planForm.membersLoading')} /> : null}
          {taskForce.isError ? <LoadError error={taskForce.error} /> : null}
          {partners.length === 0 && taskForce.isSuccess ? <p>{t('planForm.noPartners')}</p> : null}
          <div className="lantern-checkbox-columns">
            {partners.map((p) => (
              <Checkbox
                key={p.agencyId}
                id={`plan-partner-${p.agencyId}`}
                label={p.name}
                description={t(`participantRoles.${participantRole(p.kind)}`)}
                checked={draft.participantIds.includes(p.agencyId)}
                onChange={(e) => set('participantIds', toggle(draft.participantIds, p.agencyId, e.target.checked))}
              />
            ))}
          </div>
        </Fieldset>

        <Fieldset id="plan-assigned" legend={labels.assignedUserIds} hint={t('planForm.assignedHint')} error={errorAt('assignedUserIds')}>
          {usersLoading ? <Loading label={t('planForm.usersLoading')} /> : null}
          {staffAgencies.map((agencyId) => {
            const people = staff.filter((u) => u.agencyId === agencyId);
            if (people.length === 0) return null;
            const agencyName = agencyId === leadAgencyId ? leadAgencyName : partners.find((p) => p.agencyId === agencyId)?.name;
            return (
              <div key={agencyId} className="lantern-checkbox-group">
                <p className="lantern-checkbox-group__heading">{agencyName}</p>
                {people.map((u) => {
                  const self = !editing && u.id === me.user.id;
                  return (
                    <Checkbox
                      key={u.id}
                      id={`plan-user-${u.id}`}
                      label={u.displayName}
                      description={self ? t('planForm.youAreAssigned') : u.roles.filter((r) => STAFF_ROLES.has(r)).map((r) => t(`roles.${r}`)).join(', ')}
                      checked={self || draft.assignedUserIds.includes(u.id)}
                      disabled={self}
                      onChange={(e) => set('assignedUserIds', toggle(draft.assignedUserIds, u.id, e.target.checked))}
                    />
                  );
                })}
              </div>
            );
          })}
          {draft.assignedUserIds
            .filter((id) => !staffById.has(id) && assignedNames.has(id))
            .map((id) => (
              <Checkbox
                key={id}
                id={`plan-user-${id}`}
                label={assignedNames.get(id)}
                checked
                onChange={(e) => set('assignedUserIds', toggle(draft.assignedUserIds, id, e.target.checked))}
              />
            ))}
        </Fieldset>

        <fieldset className="usa-fieldset lantern-repeat">
          <legend className="usa-legend lantern-repeat__legend">{t('planForm.commanderHeading')}</legend>
          <p className="usa-hint">{t('planForm.commanderHint')}</p>
          <SelectField
            id="plan-commander-user"
            label={labels['commander.userId']}
            optional
            value={draft.commanderUserId}
            error={errorAt('commander.userId')}
            onChange={(e) => {
              const user = staffById.get(e.target.value);
              setDraft((d) => ({
                ...d,
                commanderUserId: e.target.value,
                assignedUserIds: e.target.value && e.target.value !== me.user.id ? [...new Set([...d.assignedUserIds, e.target.value])] : d.assignedUserIds,
                commanderName: user ? user.displayName : d.commanderName,
                commanderPhone: user?.phone ? user.phone : d.commanderPhone,
              }));
            }}
          >
            <option value="">{t('planForm.commanderNotAUser')}</option>
            {staff
              .filter((u) => u.id === me.user.id || draft.assignedUserIds.includes(u.id))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName} ({u.agencyName})
                </option>
              ))}
          </SelectField>
          <TextField id="plan-commander-name" label={labels['commander.name']} maxLength={NAME_MAX} value={draft.commanderName} onChange={(e) => set('commanderName', e.target.value)} error={errorAt('commander.name')} />
          <TextField
            id="plan-commander-phone"
            type="tel"
            label={labels['commander.phone']}
            hint={t('planForm.commanderPhoneHint')}
            maxLength={PHONE_MAX}
            autoComplete="off"
            value={draft.commanderPhone}
            onChange={(e) => set('commanderPhone', e.target.value)}
            error={errorAt('commander.phone')}
          />
        </fieldset>
      </section>

      <section className="lantern-form-section" aria-labelledby="plan-subjects">
        <h2 id="plan-subjects">{t('planForm.subjectsHeading')}</h2>
        <p className="usa-hint">{t('planForm.subjectsHint')}</p>
        {draft.subjects.length === 0 ? <p>{t('planForm.noSubjects')}</p> : null}
        {draft.subjects.map((s, i) => (
          <fieldset key={s.key} className="usa-fieldset lantern-repeat lantern-subject-row">
            <legend className="usa-legend lantern-repeat__legend">{t('planForm.subjectN', { n: i + 1 })}</legend>
            <SelectField
              id={`subject-${i}-kind`}
              label={subjectLabels.kind}
              value={s.kind}
              onChange={(e) => setDraft((d) => ({ ...d, subjects: d.subjects.map((x, j) => (j === i ? { ...x, kind: e.target.value as SubjectKind } : x)) }))}
              error={errorAt(`subjects.${i}.kind`)}
            >
              {SUBJECT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`subjectKinds.${kind}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              id={`subject-${i}-value`}
              label={subjectLabels.value}
              hint={t(`subjectHints.${s.kind}`)}
              maxLength={SHORT_TEXT_MAX}
              autoComplete="off"
              value={s.value}
              onChange={(e) => setDraft((d) => ({ ...d, subjects: d.subjects.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)) }))}
              error={errorAt(`subjects.${i}.value`)}
            />
            <button type="button" className="usa-button usa-button--unstyled" onClick={() => setDraft((d) => ({ ...d, subjects: d.subjects.filter((_, j) => j !== i) }))}>
              {t('planForm.removeSubject', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button type="button" className="usa-button usa-button--outline" onClick={() => setDraft((d) => ({ ...d, subjects: [...d.subjects, blankSubject()] }))}>
          {t('planForm.addSubject')}
        </button>
      </section>

      <section className="lantern-form-section" aria-labelledby="plan-briefing">
        <h2 id="plan-briefing">{t('planForm.briefingHeading')}</h2>
        <TextareaField
          id="plan-briefing-text"
          label={labels.briefing}
          hint={t('planForm.briefingHint')}
          optional
          rows={8}
          maxLength={LONG_TEXT_MAX}
          value={draft.briefing}
          onChange={(e) => set('briefing', e.target.value)}
          error={errorAt('briefing')}
        />
        <div className="usa-form-group">
          <Checkbox
            id="plan-hold"
            label={labels.investigationHold}
            description={t('planForm.holdHint')}
            tile
            checked={draft.investigationHold}
            onChange={(e) => set('investigationHold', e.target.checked)}
          />
        </div>
      </section>

      <FormActions pending={save.isPending} submitLabel={editing ? t('planForm.saveChanges') : t('planForm.saveDraft')} pendingLabel={t('planForm.checking')} onCancel={onCancel} />
      <p className="usa-hint">{t('planForm.deconflictionNote')}</p>
    </form>
  );
}

/** Plan a new operation (a draft), deconflicted as soon as it is saved. */
export function OperationNewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [initial] = useState(() => emptyDraft(me.taskForces.length === 1 ? me.taskForces[0]!.id : ''));

  return (
    <>
      <BackLink to="/operations">{t('operations.title')}</BackLink>
      <PageTitle title={t('planForm.newTitle')} lead={t('planForm.newLead')} />
      {me.taskForces.length === 0 ? (
        <EmptyState heading={t('planForm.noTaskForceHeading')}>{t('planForm.noTaskForce')}</EmptyState>
      ) : (
        <PlanForm
          initial={initial}
          leadAgencyId={me.agency.id}
          leadAgencyName={me.agency.name}
          onSaved={(dto) => void navigate({ to: '/operations/$operationId', params: { operationId: dto.id } })}
          onCancel={() => void navigate({ to: '/operations' })}
        />
      )}
    </>
  );
}

/** Change a draft or approved plan (an approved one goes back to draft). */
export function OperationEditPage() {
  const { t } = useTranslation();
  const { operationId } = editRoute.useParams();
  const navigate = useNavigate();
  const op = useQuery(operationQuery(operationId));

  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('planForm.editTitleLoading')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }
  const dto = op.data;
  const back = () => void navigate({ to: '/operations/$operationId', params: { operationId } });
  return (
    <>
      <BackLink to="/operations/$operationId" params={{ operationId }}>
        {dto.name}
      </BackLink>
      <PageTitle title={t('planForm.editTitle', { name: dto.name })} />
      {dto.abilities['operation.update'] ? (
        <PlanForm
          key={`${dto.id}-${dto.version}`}
          initial={draftFromOperation(dto)}
          operation={dto}
          leadAgencyId={dto.leadAgency.id}
          leadAgencyName={dto.leadAgency.name}
          onSaved={back}
          onCancel={back}
        />
      ) : (
        <Alert type="info" announce={false}>
          {dto.status === 'draft' || dto.status === 'approved' ? t('planForm.notAllowed') : t('planForm.notPlanning')}
        </Alert>
      )}
    </>
  );
}
