import type { Insertable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { AuditActor } from '../audit/audit.ts';
import type { DB } from '../db/schema/index.ts';
import type { BusinessStage } from '../../common/businesses.ts';
import { addressKey, normalizeIdentifier } from '../../common/identifiers.ts';
import { blindIndex } from '../lib/crypto.ts';
import { newId } from '../lib/ids.ts';
import { seal } from '../lib/sealed.ts';
import { indexIdentifiers, type IdentifierValue } from '../modules/identifiers/identifiers.ts';
import { DEMO_AGENCIES, DEMO_EMAIL_DOMAIN, DEMO_OTHER_TASK_FORCE, DEMO_TASK_FORCE } from './demo-directory.ts';
import {
  DEMO_NOTICE_TEMPLATE,
  INDICATOR_NOTES,
  JADE_BLOSSOM,
  REOPENED_PHONE,
  demoBusinesses,
  demoLandlord,
  type DemoBusiness,
} from './demo-businesses.data.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const who = { actor: null, meta: { ip: null, userAgent: 'lantern demo', requestId: null } };

/** The three waves of notices the attorney general's office sent (the loader spreads each wave over weeks). */
const WAVES = [Date.parse('2020-11-02T15:00:00.000Z'), Date.parse('2021-02-08T15:00:00.000Z'), Date.parse('2021-06-07T15:00:00.000Z')];
const LEASE_ACTIONS = ['non_renewal', 'termination', 'eviction_filed'] as const;
const CLOSURES = ['evicted', 'vacated'] as const;

/**
 * Who does what for each owning agency: who records what they saw, who moves the case, and the second
 * person who verifies the evidence (never the one who recorded it). Notices and everything after them
 * are the attorney general's office's (its analyst).
 */
const STAFF: Record<string, { recorder: string; caseUser: string; verifier: string | null }> = {
  oakgrove: { recorder: 'officer', caseUser: 'oakgrove-analyst', verifier: 'coordinator' },
  kcpd: { recorder: 'kcpd-officer', caseUser: 'kcpd-coordinator', verifier: 'kcpd-coordinator' },
  mshp: { recorder: 'mshp-officer', caseUser: 'analyst', verifier: 'analyst' },
  ago: { recorder: 'ago-analyst', caseUser: 'ago-analyst', verifier: 'analyst' },
  springfield: { recorder: 'springfield-analyst', caseUser: 'springfield-analyst', verifier: null },
};
const LETTER_STAFF = 'ago-analyst';

interface Step {
  at: number;
  to: BusinessStage;
  from: BusinessStage | null;
  outcome: string | null;
  by: string;
  kind: 'created' | 'stage' | 'cleared';
}

interface Timeline {
  createdAt: number;
  steps: Step[];
  verifiedAt: number | null;
  landlordAt: number | null;
  notifiedAt: number | null;
  responseDue: number | null;
  respondedAt: number | null;
  leaseActionAt: number | null;
  closedAt: number | null;
  clearedAt: number | null;
}

/** The dated history of one business, from its story, its wave of notices and its place in the wave. */
function timelineOf(b: DemoBusiness, index: number, now: number): Timeline {
  const staff = STAFF[b.place.agency]!;
  const s = b.slot;
  const notice = b.story === 'notified_recent' ? now - (b.recentDays ?? 10) * DAY - 5 * HOUR : WAVES[b.wave]! + (s % 15) * DAY + (s % 5) * HOUR;
  const preNotice = ['identified', 'verified', 'landlord_identified', 'cleared'].includes(b.story);
  const createdAt = preNotice ? now - (b.recentDays ?? 30 + index * 3) * DAY - 4 * HOUR : notice - (70 + (s % 40)) * DAY;
  const t: Timeline = {
    createdAt,
    steps: [{ at: createdAt, from: null, to: 'identified', outcome: null, by: staff.recorder, kind: 'created' }],
    verifiedAt: null,
    landlordAt: null,
    notifiedAt: null,
    responseDue: null,
    respondedAt: null,
    leaseActionAt: null,
    closedAt: null,
    clearedAt: null,
  };
  let stage: BusinessStage = 'identified';
  const step = (at: number, to: BusinessStage, outcome: string | null, by: string, kind: Step['kind'] = 'stage') => {
    t.steps.push({ at, from: stage, to, outcome, by, kind });
    stage = to;
  };
  if (b.story === 'identified') return t;

  const verifiedAt = createdAt + (preNotice ? 8 : 12 + (s % 9)) * DAY;
  t.verifiedAt = verifiedAt;
  step(verifiedAt, 'verified', null, staff.caseUser);
  if (b.story === 'verified') return t;
  if (b.story === 'cleared') {
    t.clearedAt = verifiedAt + 6 * DAY;
    step(t.clearedAt, 'cleared', null, staff.caseUser, 'cleared');
    return t;
  }

  t.landlordAt = verifiedAt + (preNotice ? 5 : 8 + (s % 7)) * DAY;
  step(t.landlordAt, 'landlord_identified', null, LETTER_STAFF);
  if (b.story === 'landlord_identified') return t;

  t.notifiedAt = notice;
  t.responseDue = notice + 30 * DAY;
  step(notice, 'landlord_notified', null, LETTER_STAFF);
  if (b.story === 'notified' || b.story === 'notified_recent') return t;

  if (b.story === 'no_response' || b.story === 'no_response_sued') {
    const recorded = t.responseDue + 3 * DAY;
    step(recorded, 'landlord_responded', 'no_response', LETTER_STAFF);
    if (b.story === 'no_response_sued') step(recorded + (90 + (s % 30)) * DAY, 'civil_action', null, LETTER_STAFF);
    return t;
  }

  // The landlord answered.
  t.respondedAt = notice + (6 + (s % 20)) * DAY;
  step(t.respondedAt, 'landlord_responded', b.story === 'refused_sued' ? 'refused' : 'committed', LETTER_STAFF);
  if (b.story === 'committed') return t;
  if (b.story === 'refused_sued') {
    step(t.respondedAt + 60 * DAY, 'civil_action', null, LETTER_STAFF);
    return t;
  }

  t.leaseActionAt = t.respondedAt + (14 + (s % 30)) * DAY;
  step(t.leaseActionAt, 'lease_action', LEASE_ACTIONS[s % LEASE_ACTIONS.length]!, LETTER_STAFF);
  if (b.story === 'lease_action') return t;

  t.closedAt = t.leaseActionAt + (25 + (s % 60)) * DAY;
  step(t.closedAt, 'closed', CLOSURES[s % CLOSURES.length]!, staff.caseUser);
  if (b.story === 'closed_referred') step(t.closedAt + 45 * DAY, 'criminal_referral', null, LETTER_STAFF);
  return t;
}

/**
 * A business's identifiers for the shared index (record type 'business'): its name and former names as
 * business names, its address key, phones as phones, websites and ad handles as handles — the same kinds
 * the registry indexes, so the tips' link view and the re-opening watch find the demo's businesses.
 */
function identifiersOf(b: DemoBusiness): IdentifierValue[] {
  const out: IdentifierValue[] = [];
  const seen = new Set<string>();
  const add = (kind: IdentifierValue['kind'], normalized: string | null) => {
    if (!normalized || seen.has(`${kind}\u0000${normalized}`)) return;
    seen.add(`${kind}\u0000${normalized}`);
    out.push({ kind, normalized });
  };
  add('business', normalizeIdentifier('business', b.name));
  add('address', addressKey({ address: b.address, city: b.place.city, zip: b.place.zip }));
  for (const f of b.facts) {
    const kind = f.kind === 'former_name' ? 'business' : f.kind === 'phone' ? 'phone' : 'handle';
    add(kind, normalizeIdentifier(kind, f.value));
  }
  return out;
}

/** The normal form of an operator's or landlord's name before it is hashed: folded as business names are. */
function nameKey(name: string): string {
  return normalizeIdentifier('business', name) ?? name.normalize('NFKC').trim().toLowerCase();
}

function* chunks<T>(rows: T[], size = 50): Generator<T[]> {
  for (let k = 0; k < rows.length; k += size) yield rows.slice(k, k + size);
}

const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

/**
 * The demo's business campaign (issue #11, item 8), written straight into the tables in one audited
 * transaction (it loads at every start, so it must be quick): about 80 businesses with their facts,
 * operators, evidence, landlords, contact history and dated stage histories; the attorney general's
 * notice template; the identifier index rows that link a few of them to the demo's tips; and one
 * re-opening alert, raised by a tip naming a closed business's phone. Idempotent.
 */
export async function loadDemoBusinesses(ctx: AppContext): Promise<{ created: boolean }> {
  const done = await ctx.db.selectFrom('setting').select('value').where('key', '=', 'demo.businesses').executeTakeFirst();
  if (done) return { created: false };

  const users = await ctx.db.selectFrom('app_user').select(['id', 'email', 'agency_id']).where('email', 'like', `%@${DEMO_EMAIL_DOMAIN}`).execute();
  const user = new Map(users.map((u) => [u.email.split('@')[0]!, { userId: u.id, agencyId: u.agency_id } satisfies AuditActor]));
  const needed = new Set(Object.values(STAFF).flatMap((s) => [s.recorder, s.caseUser, ...(s.verifier ? [s.verifier] : [])]));
  // A demo loaded before the campaign's accounts existed keeps its data without a campaign.
  if ([...needed].some((local) => !user.has(local))) return { created: false };
  const u = (local: string) => user.get(local)!;

  const agencies = await ctx.db.selectFrom('agency').select(['id', 'name']).execute();
  const agencyId = (key: string) => agencies.find((a) => a.name === DEMO_AGENCIES.find((d) => d.key === key)!.name)!.id;
  const taskForces = await ctx.db.selectFrom('task_force').select(['id', 'name']).execute();
  const west = taskForces.find((t) => t.name === DEMO_TASK_FORCE.name)!.id;
  const southwest = taskForces.find((t) => t.name === DEMO_OTHER_TASK_FORCE.name)!.id;
  const ago = agencyId('ago');

  const now = ctx.clock.now().getTime();
  const ring = ctx.keyring;
  const businesses = demoBusinesses();

  const landlordRows: Insertable<DB['landlord']>[] = [];
  const landlordIds = new Map<string, string>();
  const businessRows: Insertable<DB['business']>[] = [];
  const factRows: Insertable<DB['business_fact']>[] = [];
  const operatorRows: Insertable<DB['business_operator']>[] = [];
  const indicatorRows: Insertable<DB['business_indicator']>[] = [];
  const eventRows: Insertable<DB['business_event']>[] = [];
  const contactRows: Insertable<DB['landlord_contact']>[] = [];
  const audits: { id: string; agencyId: string; by: AuditActor }[] = [];
  const indexed: { id: string; agencyId: string; ids: IdentifierValue[] }[] = [];
  let jade: { id: string; agencyId: string; taskForceId: string } | null = null;

  businesses.forEach((b, index) => {
    const id = newId();
    const owner = agencyId(b.place.agency);
    const taskForceId = b.place.southwest ? southwest : west;
    const staff = STAFF[b.place.agency]!;
    const t = timelineOf(b, index, now);
    const last = t.steps.at(-1)!;
    const recorder = u(staff.recorder);

    let landlordId: string | null = null;
    if (b.landlord && t.landlordAt !== null) {
      landlordId = landlordIds.get(b.landlord) ?? null;
      if (!landlordId) {
        landlordId = newId();
        landlordIds.set(b.landlord, landlordId);
        const l = demoLandlord(b.landlord, landlordIds.size);
        const letters = u(LETTER_STAFF);
        landlordRows.push({
          id: landlordId,
          agency_id: ago,
          task_force_id: taskForceId,
          kind: l.kind,
          name: seal(ring, 'landlord', 'name', landlordId, l.name),
          name_blind: blindIndex(ring, 'landlord', nameKey(l.name)),
          agent: seal(ring, 'landlord', 'agent', landlordId, l.agent),
          mailing_address: seal(ring, 'landlord', 'mailing_address', landlordId, l.mailingAddress),
          phone: seal(ring, 'landlord', 'phone', landlordId, l.phone),
          email: seal(ring, 'landlord', 'email', landlordId, l.email),
          source: l.source,
          version: 1,
          created_by: letters.userId,
          created_at: iso(t.landlordAt),
          updated_at: iso(t.landlordAt),
        });
      }
    }

    businessRows.push({
      id,
      agency_id: owner,
      task_force_id: taskForceId,
      name: b.name,
      name_key: normalizeIdentifier('business', b.name)!,
      address: b.address,
      city: b.place.city,
      zip: b.place.zip,
      county_fips: b.place.countyFips,
      address_key: addressKey({ address: b.address, city: b.place.city, zip: b.place.zip })!,
      hours: b.hours,
      license: JSON.stringify(b.license),
      sources: JSON.stringify({
        name: 'Storefront sign, seen by an investigator (demo)',
        address: 'County assessor record (demo)',
        hours: 'Hours posted on the door (demo)',
        license: 'Missouri Board of Therapeutic Massage online lookup (demo)',
      }),
      stage: last.to,
      outcome: last.outcome,
      version: t.steps.length,
      stage_changed_at: iso(last.at),
      landlord_id: landlordId,
      notified_at: t.notifiedAt === null ? null : iso(t.notifiedAt),
      response_due: t.responseDue === null ? null : dayOf(t.responseDue),
      responded_at: t.respondedAt === null ? null : iso(t.respondedAt),
      lease_action_at: t.leaseActionAt === null ? null : iso(t.leaseActionAt),
      closed_at: t.closedAt === null ? null : iso(t.closedAt),
      cleared_at: t.clearedAt === null ? null : iso(t.clearedAt),
      cleared_by: t.clearedAt === null ? null : u(staff.caseUser).userId,
      cleared_reason:
        t.clearedAt === null
          ? null
          : 'A licensed therapeutic massage business: both therapists hold current state licenses, the windows are frosted for clients\u2019 privacy and the late hours are by appointment. The earlier signs are explained.',
      created_by: recorder.userId,
      created_at: iso(t.createdAt),
      updated_at: iso(last.at),
    });
    audits.push({ id, agencyId: owner, by: recorder });
    indexed.push({ id, agencyId: owner, ids: identifiersOf(b) });
    if (b.key === JADE_BLOSSOM) jade = { id, agencyId: owner, taskForceId };

    for (const f of b.facts) {
      factRows.push({
        id: newId(),
        business_id: id,
        agency_id: owner,
        kind: f.kind,
        value: f.value,
        source: f.kind === 'phone' ? 'Number on the storefront sign and in online ads (demo)' : f.kind === 'former_name' ? 'Earlier business license (demo)' : 'Found online by an analyst (demo)',
        recorded_by: recorder.userId,
        recorded_at: iso(t.createdAt),
      });
    }
    for (const o of b.operators) {
      const oid = newId();
      operatorRows.push({
        id: oid,
        business_id: id,
        agency_id: owner,
        kind: o.kind,
        role: o.role,
        name: seal(ring, 'business_operator', 'name', oid, o.name),
        name_blind: blindIndex(ring, 'operator', nameKey(o.name)),
        detail: seal(ring, 'business_operator', 'detail', oid, o.detail ?? null),
        source: 'Missouri Secretary of State business filings and the lease application (demo)',
        recorded_by: u(staff.caseUser).userId,
        recorded_at: iso(t.createdAt + HOUR),
      });
    }
    const verifier = staff.verifier ? u(staff.verifier) : null;
    b.indicators.forEach((indicator, k) => {
      const iid = newId();
      // The first two signs of a verified business were confirmed by a second person before it was marked verified.
      const verified = t.verifiedAt !== null && verifier !== null && k < 2;
      const withdrawn = t.clearedAt !== null;
      indicatorRows.push({
        id: iid,
        business_id: id,
        agency_id: owner,
        indicator,
        note: seal(ring, 'business_indicator', 'note', iid, INDICATOR_NOTES[indicator]),
        observed_on: dayOf(t.createdAt - (2 + k * 3) * DAY),
        attachment_id: null,
        recorded_by: recorder.userId,
        recorded_at: iso(t.createdAt + k * 60_000),
        verified_by: verified ? verifier.userId : null,
        verified_at: verified ? iso(t.verifiedAt! - DAY) : null,
        withdrawn_by: withdrawn ? u(staff.caseUser).userId : null,
        withdrawn_at: withdrawn ? iso(t.clearedAt!) : null,
        withdrawn_reason: withdrawn ? 'Explained on a visit with the licensing board: not a sign of a business selling sex.' : null,
        version: 1 + (verified ? 1 : 0) + (withdrawn ? 1 : 0),
      });
    });
    for (const st of t.steps) {
      eventRows.push({
        id: newId(),
        business_id: id,
        agency_id: owner,
        at: iso(st.at),
        kind: st.kind,
        from_stage: st.from,
        to_stage: st.to,
        outcome: st.outcome,
        actor_user_id: u(st.by).userId,
        detail: JSON.stringify(st.kind === 'created' ? { source: 'demo' } : {}),
      });
    }
    if (landlordId && t.notifiedAt !== null) {
      const by = u(LETTER_STAFF).userId;
      contactRows.push({
        id: newId(),
        landlord_id: landlordId,
        business_id: id,
        agency_id: ago,
        at: iso(t.notifiedAt),
        channel: 'letter',
        direction: 'outgoing',
        note: 'Notice letter sent by certified mail (demo).',
        recorded_by: by,
      });
      const answer = b.story === 'refused_sued' ? 'Owner answered by email: the tenant pays on time and the lease stands (demo).' : t.respondedAt !== null ? 'Owner\u2019s agent called: the lease will not be renewed and the tenant will be given notice (demo).' : null;
      if (t.respondedAt !== null && answer) {
        contactRows.push({ id: newId(), landlord_id: landlordId, business_id: id, agency_id: ago, at: iso(t.respondedAt), channel: b.story === 'refused_sued' ? 'email' : 'phone', direction: 'incoming', note: answer, recorded_by: by });
      }
    }
  });
  for (const c of contactRows) c.note = seal(ring, 'landlord_contact', 'note', c.id, c.note);

  // The tip that names the closed Jade Blossom Spa's phone again (tip "spa-independence", KCPD's queue).
  const phone = normalizeIdentifier('phone', REOPENED_PHONE)!;
  const reopening = await ctx.db
    .selectFrom('record_identifier as ri')
    .innerJoin('tip as t', 't.id', 'ri.record_id')
    .select(['t.id', 't.agency_id', 't.received_at'])
    .where('ri.record_type', '=', 'tip')
    .where('ri.blind', '=', blindIndex(ring, 'phone', phone))
    .orderBy('t.received_at')
    .executeTakeFirst();

  await ctx.audit.transact(who, async (tx) => {
    for (const part of chunks(landlordRows)) await tx.db.insertInto('landlord').values(part).execute();
    for (const part of chunks(businessRows)) await tx.db.insertInto('business').values(part).execute();
    for (const part of chunks(factRows)) await tx.db.insertInto('business_fact').values(part).execute();
    for (const part of chunks(operatorRows)) await tx.db.insertInto('business_operator').values(part).execute();
    for (const part of chunks(indicatorRows)) await tx.db.insertInto('business_indicator').values(part).execute();
    for (const part of chunks(eventRows)) await tx.db.insertInto('business_event').values(part).execute();
    for (const part of chunks(contactRows)) await tx.db.insertInto('landlord_contact').values(part).execute();
    for (const r of indexed) await indexIdentifiers(tx.db, ctx, { type: 'business', id: r.id, parentId: r.id, agencyId: r.agencyId }, r.ids);
    for (const a of audits) tx.audit({ action: 'business.create', recordType: 'business', recordId: a.id, recordAgencyId: a.agencyId, actor: a.by, detail: { source: 'demo' } });

    const templateId = newId();
    const letters = u(LETTER_STAFF);
    await tx.db
      .insertInto('notice_template')
      .values({
        id: templateId,
        task_force_id: west,
        agency_id: ago,
        version: 1,
        title: DEMO_NOTICE_TEMPLATE.title,
        body: DEMO_NOTICE_TEMPLATE.body,
        legal_basis: DEMO_NOTICE_TEMPLATE.legalBasis,
        response_days: DEMO_NOTICE_TEMPLATE.responseDays,
        updated_by: letters.userId,
        updated_at: iso(WAVES[0]! - 14 * DAY),
      })
      .execute();
    tx.audit({ action: 'notice.editTemplate', recordType: 'notice_template', recordId: templateId, recordAgencyId: ago, actor: letters, detail: { source: 'demo', version: 1 } });

    if (jade && reopening) {
      const j: { id: string; agencyId: string; taskForceId: string } = jade;
      const alertId = newId();
      const at = iso(Date.parse(reopening.received_at) + 60_000);
      await tx.db
        .insertInto('business_alert')
        .values({
          id: alertId,
          business_id: j.id,
          agency_id: j.agencyId,
          task_force_id: j.taskForceId,
          source_type: 'tip',
          source_id: reopening.id,
          source_parent_id: reopening.id,
          source_agency_id: reopening.agency_id,
          kinds: JSON.stringify(['phone']),
          created_at: at,
        })
        .execute();
      await tx.db
        .insertInto('business_event')
        .values({ id: newId(), business_id: j.id, agency_id: j.agencyId, at, kind: 'alert', from_stage: null, to_stage: null, outcome: null, actor_user_id: null, detail: JSON.stringify({ sourceType: 'tip', kinds: ['phone'] }) })
        .execute();
      tx.audit({ action: 'business.alert', recordType: 'business', recordId: j.id, recordAgencyId: j.agencyId, detail: { source: 'demo', sourceType: 'tip', kinds: 'phone' } });
    }

    const stamp = ctx.clock.now().toISOString();
    await tx.db
      .insertInto('setting')
      .values({ key: 'demo.businesses', value: stamp, updated_at: stamp })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: stamp, updated_at: stamp }))
      .execute();
  });
  return { created: true };
}
