import { randomBytes } from 'node:crypto';
import { closedLoop, median, openLoop, slices, type LoadRequest, type Sample } from './lib/load.ts';
import { fmt, summarizeBatches, type Bench, type BenchOptions } from './lib/report.ts';
import { startTarget, type Backend, type Target } from './lib/target.ts';
import { combineUsage, type DeconflictTimes, type OperationsFixture, type PlanSample, type SignedIn, type Usage } from './lib/protocol.ts';
import { ANCHOR, FULL_SIZE, FUTURE_DAYS, MissouriPlaces, between, ensureDataset, pick, sampleSubject, seededRng } from './lib/generate.ts';
import { DEFAULT_RADIUS_M, OPERATION_TYPES } from '../common/operations.ts';
import type { RecordContactInput } from '../common/schemas/contacts.ts';

/** DESIGN.md §7: deconfliction of a new operation against 10,000 in under 20 ms. */
export const DECONFLICTION_P95_TARGET_MS = 20;
/** Issue #3: recording a contact is measured at a fixed 200 requests/s. */
export const CONTACT_RATE = 200;
/** Issue #13: recording a contact at least half the bare durable insert's closed-loop throughput, on both back ends… */
export const CONTACT_THROUGHPUT_TARGET = 0.5;
/** …and p99 under 50 ms at 200/s on PostgreSQL. */
export const CONTACT_P99_TARGET_MS = 50;
/** Running operations the bench officer records into (the data set has eight of Oak Grove PD's). */
const ACTIVE = 8;
/** Closed operations whose outcome is read, spread over the data set. */
const CLOSED = 200;
/** New plans checked for conflicts. */
const PLANS = 200;
/** A coordinator or two reading outcomes at once: a closed loop of 32 would measure the queue, not the read. */
const OUTCOME_CONNECTIONS = 4;

/**
 * What officers record, in turn: a buyer cited, a buyer arrested with a charge and a phone, an adult
 * victim offered services and screened, a witness. No minors: their sealed records answer the same way.
 */
const CONTACTS: Omit<RecordContactInput, 'clientRef'>[] = [
  { role: 'suspect', suspectType: 'buyer', sex: 'male', ageBand: '35_to_49', disposition: 'cited', name: 'Jordan Example', charges: [], aliases: [], phones: [], services: [] },
  {
    role: 'suspect',
    suspectType: 'buyer',
    sex: 'male',
    ageBand: '25_to_34',
    disposition: 'arrested',
    charges: ['RSMo 567.030 Patronizing prostitution'],
    name: 'Casey Sample',
    aliases: [],
    phones: ['(816) 555-0142'],
    services: [],
  },
  {
    role: 'adult_victim',
    sex: 'female',
    ageBand: '18_to_24',
    disposition: 'offered_services',
    screening: { tool: 'vera_tvit_short', result: 'positive' },
    charges: [],
    aliases: [],
    phones: [],
    services: [
      { service: 'lodging', offered: true, accepted: true },
      { service: 'medical', offered: true, accepted: false },
      { service: 'counseling', offered: true, accepted: true },
    ],
  },
  { role: 'witness', sex: 'female', ageBand: '50_plus', disposition: 'released', name: 'Riley Placeholder', charges: [], aliases: [], phones: [], services: [] },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Measured {
  requests: number;
  perSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failed: number;
  statuses: Record<string, number>;
  server: { cpuPercent: number; cpuUsPerRequest: number; loopDelayP99Ms: number };
}

function measured(samples: Sample[], usage: Usage[]): Measured {
  const all = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const s of samples) for (const [code, n] of Object.entries(s.statuses ?? {})) statuses[code] = (statuses[code] ?? 0) + n;
  const server = combineUsage(usage);
  return {
    requests: all.length,
    perSec: all.length / seconds,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all.at(-1) ?? NaN,
    failed: samples.reduce((n, s) => n + s.non2xx + s.errors, 0),
    statuses,
    server: { cpuPercent: server.cpuPercent, cpuUsPerRequest: (server.cpuMs * 1000) / Math.max(1, all.length), loopDelayP99Ms: server.loopDelayP99Ms },
  };
}

const p99Of = (s: Sample) => percentile([...s.latenciesMs].sort((a, b) => a - b), 99);
const rateOf = (s: Sample) => s.ok / s.seconds;

/**
 * The subject and its baseline in alternating slices (the order swapped every slice), each slice
 * bracketed by the server's CPU and event-loop figures. Returns both sides' samples and the per-slice
 * ratios `ratio(subject, baseline)`.
 */
async function alternate(
  target: Target,
  totalSec: number,
  sliceSec: number,
  load: { subject: (seconds: number) => Promise<Sample>; baseline: (seconds: number) => Promise<Sample> },
  ratio: (subject: Sample, baseline: Sample) => number,
) {
  const samples = { subject: [] as Sample[], baseline: [] as Sample[] };
  const usage = { subject: [] as Usage[], baseline: [] as Usage[] };
  const ratios: number[] = [];
  for (const [i, seconds] of slices(totalSec, sliceSec).entries()) {
    for (const side of i % 2 === 0 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const)) {
      await target.call('mark');
      samples[side].push(await load[side](seconds));
      usage[side].push(await target.call<Usage>('usage'));
    }
    ratios.push(ratio(samples.subject[i]!, samples.baseline[i]!));
  }
  return { subject: measured(samples.subject, usage.subject), baseline: measured(samples.baseline, usage.baseline), samples, ratios };
}

/**
 * New operations' plans drawn as the generator draws operations (bench/lib/generate.ts): one to three
 * places, half of them at the recurring motels and truck stops that fill the grid's busy cells, in the
 * evening, within the data set's planning horizon; a third with subjects, repeat identifiers likeliest.
 */
export function newPlans(n: number): PlanSample[] {
  const r = seededRng(0x0de7c0);
  const places = new MissouriPlaces();
  const anchor = Date.parse(ANCHOR);
  const HOUR = 3_600_000;
  return Array.from({ length: n }, () => {
    const type = pick(r, OPERATION_TYPES);
    const start = anchor + between(r, 0, FUTURE_DAYS - 1) * 24 * HOUR + between(r, 80, 110) * (HOUR / 4);
    const first = places.sample(r);
    const extra = r() < 0.75 ? 0 : r() < 0.8 ? 1 : 2;
    const locations = [first, ...Array.from({ length: extra }, () => places.sample(r, places.county(first.countyFips)))].map((p) => ({
      lat: p.lat,
      lng: p.lng,
      radiusM: r() < 0.8 ? DEFAULT_RADIUS_M[type] : between(r, 4, 40) * 50,
    }));
    const subjects = r() < 0.35 ? Array.from({ length: between(r, 1, 4) }, () => sampleSubject(r)) : [];
    return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + between(r, 16, 32) * (HOUR / 4)).toISOString(), locations, subjects };
  });
}

/**
 * Issue #3's operations measurements on the 10,000-operation, 1,000,000-contact data set: recording a
 * contact (`POST /api/operations/:id/contacts`) at a fixed 200 requests/s and at its closed-loop maximum,
 * against a bare durable insert (a 1 KB row and an audit-like row in one transaction, same Kysely
 * instance); the outcome summary of a closed operation (`GET /api/operations/:id/outcome`) against a
 * bare read of the operation's row; and deconfliction of new plans against every operation, the grid
 * index (`findConflicts`) against a naive scan, which must find the same conflicts.
 */
export const operationsBench: Bench = {
  name: 'operations',
  summary: `recording a contact at ${CONTACT_RATE}/s and the outcome summary against bare writes and reads, deconfliction against ${FULL_SIZE.operations.toLocaleString('en-US')} operations (${FULL_SIZE.contacts.toLocaleString('en-US')} contacts)`,
  async run(backend: Backend, opts: BenchOptions) {
    const data = await ensureDataset(backend, FULL_SIZE);
    const target = await startTarget(backend, { ...(opts.profileDir ? { profileDir: opts.profileDir } : {}), prepare: data.prepare, ...(data.pgTemplate ? { pgTemplate: data.pgTemplate } : {}) });
    try {
      const officer = await target.call<SignedIn>('signIn', { role: 'officer' });
      const coordinator = await target.call<SignedIn>('signIn', { role: 'coordinator' });
      const fixture = await target.call<OperationsFixture>('operationsFixture', { officerUserId: officer.userId, coordinatorUserId: coordinator.userId, active: ACTIVE, closed: CLOSED });
      if (fixture.data.operations !== FULL_SIZE.operations || fixture.data.contacts !== FULL_SIZE.contacts) {
        throw new Error(`the data set holds ${fixture.data.operations} operations and ${fixture.data.contacts} contacts, not ${FULL_SIZE.operations} and ${FULL_SIZE.contacts}`);
      }

      // ---------------------------------------------------------------- recording a contact
      // A fresh clientRef on every request, so none is taken for a retry of an earlier one.
      const runId = randomBytes(6).toString('hex');
      let seq = 0;
      const contactBody = () => {
        const n = seq++;
        return { n, body: JSON.stringify({ clientRef: `bench-${runId}-${n}`, ...CONTACTS[n % CONTACTS.length] }) };
      };
      const recordContact = (): LoadRequest => {
        const { n, body } = contactBody();
        return { method: 'POST', path: `/api/operations/${fixture.active[n % fixture.active.length]!.id}/contacts`, headers: { cookie: officer.cookie }, body };
      };
      const bareInsert = (): LoadRequest => ({ method: 'POST', path: '/insert', body: contactBody().body });
      const recorded: Sample[] = [];
      const record = async (s: Promise<Sample>) => {
        const sample = await s;
        recorded.push(sample);
        return sample;
      };
      const before = await target.call<number>('contactCount');

      if (opts.warmupSec > 0) {
        await openLoop(target.bareUrl, CONTACT_RATE, opts.warmupSec / 2, bareInsert);
        await record(openLoop(target.url, CONTACT_RATE, opts.warmupSec / 2, recordContact));
      }
      // Contacts per group commit in each phase (server/modules/contacts/contacts.recording.ts).
      const batchesSoFar = () => target.call<number[]>('contactBatches');
      const batchesOf = async (from: number[]) => summarizeBatches((await batchesSoFar()).map((n, size) => n - (from[size] ?? 0)));
      const rateFrom = await batchesSoFar();
      const atRate = await alternate(
        target,
        opts.durationSec,
        2,
        { subject: (s) => record(openLoop(target.url, CONTACT_RATE, s, recordContact)), baseline: (s) => openLoop(target.bareUrl, CONTACT_RATE, s, bareInsert) },
        (subject, baseline) => p99Of(subject) / p99Of(baseline),
      );
      const rateBatches = await batchesOf(rateFrom);
      const maximumFrom = await batchesSoFar();
      const maximum = await alternate(
        target,
        opts.durationSec,
        1,
        { subject: (s) => record(closedLoop(target.url, opts.connections, s, recordContact)), baseline: (s) => closedLoop(target.bareUrl, opts.connections, s, bareInsert) },
        (subject, baseline) => rateOf(subject) / rateOf(baseline),
      );
      const maximumBatches = await batchesOf(maximumFrom);
      if (opts.profileDir) {
        await target.profiled('operations-contacts', () => record(openLoop(target.url, CONTACT_RATE, opts.durationSec, recordContact)));
        await target.profiled('operations-contacts-closed-loop', () => record(closedLoop(target.url, opts.connections, opts.durationSec, recordContact)));
      }
      const after = await target.call<number>('contactCount');
      const created = recorded.reduce((n, s) => n + s.ok, 0);
      const replayed = recorded.reduce((n, s) => n + (s.statuses?.['200'] ?? 0), 0);
      // A request that failed in transport (no reply within the client's 60 s) may or may not have been recorded.
      const unanswered = recorded.reduce((n, s) => n + s.errors, 0);
      const grew = after - before;
      if (replayed > 0 || grew < created || grew > created + unanswered) {
        throw new Error(`${created} contacts answered 2xx (${replayed} of them as replays, 200) and ${unanswered} got no reply, but the contacts grew by ${grew}`);
      }

      // ---------------------------------------------------------------- the outcome summary
      const closed = fixture.closed.map((o) => o.id);
      const outcome = (i: number): LoadRequest => ({ method: 'GET', path: `/api/operations/${closed[i % closed.length]}/outcome`, headers: { cookie: coordinator.cookie } });
      const bareRead = (i: number): LoadRequest => ({ method: 'GET', path: `/operation/${closed[i % closed.length]}` });
      if (opts.warmupSec > 0) {
        await closedLoop(target.bareUrl, OUTCOME_CONNECTIONS, opts.warmupSec / 2, bareRead);
        await closedLoop(target.url, OUTCOME_CONNECTIONS, opts.warmupSec / 2, outcome);
      }
      const reads = await alternate(
        target,
        opts.durationSec,
        1,
        { subject: (s) => closedLoop(target.url, OUTCOME_CONNECTIONS, s, outcome), baseline: (s) => closedLoop(target.bareUrl, OUTCOME_CONNECTIONS, s, bareRead) },
        (subject, baseline) => rateOf(subject) / rateOf(baseline),
      );
      if (reads.subject.failed + reads.baseline.failed > 0) {
        throw new Error(`outcome reads: ${reads.subject.failed} failed (${JSON.stringify(reads.subject.statuses)}), bare reads: ${reads.baseline.failed} failed`);
      }
      if (opts.profileDir) await target.profiled('operations-outcome', () => closedLoop(target.url, OUTCOME_CONNECTIONS, opts.durationSec, outcome));

      // ---------------------------------------------------------------- deconfliction
      const plans = newPlans(PLANS);
      // A first pass warms the caches (statement cache, pages) and is not counted.
      await target.call<DeconflictTimes>('deconflict', { plans: plans.slice(0, 20) });
      const times = await target.call<DeconflictTimes>('deconflict', { plans });
      if (times.mismatches > 0) throw new Error(`deconfliction: the grid index and the naive scan disagreed on ${times.mismatches} of ${plans.length} plans`);
      if (opts.profileDir) await target.profiled('operations-deconfliction', () => target.call('deconflict', { plans }));
      const indexed = [...times.indexedMs].sort((a, b) => a - b);
      const naive = [...times.naiveMs].sort((a, b) => a - b);
      const deconfliction = {
        plans: plans.length,
        indexed: { p50: percentile(indexed, 50), p95: percentile(indexed, 95), p99: percentile(indexed, 99), max: indexed.at(-1)! },
        naive: { p50: percentile(naive, 50), p95: percentile(naive, 95), p99: percentile(naive, 99), max: naive.at(-1)! },
        speedUp: median(times.naiveMs.map((ms, i) => ms / times.indexedMs[i]!)),
        conflicts: times.conflicts.reduce((n, c) => n + c, 0),
        plansWithConflicts: times.conflicts.filter((c) => c > 0).length,
        mismatches: times.mismatches,
      };
      const pass = deconfliction.indexed.p95 < DECONFLICTION_P95_TARGET_MS;

      const row = (label: string, m: Measured) => [label, fmt.int(m.perSec), fmt.ms(m.p50), fmt.ms(m.p95), fmt.ms(m.p99), fmt.int(m.failed), fmt.pct(m.server.cpuPercent), fmt.int(m.server.cpuUsPerRequest)];
      const decRow = (label: string, d: { p50: number; p95: number; p99: number }) => [label, '', fmt.ms(d.p50), fmt.ms(d.p95), fmt.ms(d.p99), '', '', ''];
      const range = (xs: number[]) => `${fmt.ratio(Math.min(...xs))}–${fmt.ratio(Math.max(...xs))}`;
      const contactRatio = median(atRate.ratios);
      const maxRatio = median(maximum.ratios);
      const passThroughput = maxRatio >= CONTACT_THROUGHPUT_TARGET;
      const passP99 = atRate.subject.p99 < CONTACT_P99_TARGET_MS && atRate.subject.failed === 0 && atRate.subject.perSec >= 0.95 * CONTACT_RATE;
      const readRatio = median(reads.ratios);
      const closedContacts = fixture.closed.map((o) => o.contacts);
      const failures = (m: Measured) =>
        Object.entries(m.statuses)
          .filter(([code]) => !code.startsWith('2'))
          .map(([code, n]) => `${n} × ${code}`)
          .join(', ');
      return {
        backend,
        table: {
          headers: [`${fixture.data.operations.toLocaleString('en-US')} operations, ${fixture.data.contacts.toLocaleString('en-US')} contacts`, 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failed', 'server CPU', 'CPU µs/req'],
          rows: [
            row(`bare durable insert at ${CONTACT_RATE}/s`, atRate.baseline),
            row(`POST /api/operations/:id/contacts at ${CONTACT_RATE}/s`, atRate.subject),
            row(`bare durable insert, ${opts.connections} connections`, maximum.baseline),
            row(`POST …/contacts, ${opts.connections} connections`, maximum.subject),
            row(`bare read of the operation row, ${OUTCOME_CONNECTIONS} connections`, reads.baseline),
            row(`GET /api/operations/:id/outcome, ${OUTCOME_CONNECTIONS} connections`, reads.subject),
            decRow(`naive scan of every operation (${deconfliction.plans} new plans)`, deconfliction.naive),
            decRow('deconfliction: findConflicts (grid index)', deconfliction.indexed),
          ],
        },
        verdict: [
          `deconfliction p95 ${fmt.ms(deconfliction.indexed.p95)} ms against ${fixture.data.operations.toLocaleString('en-US')} operations (target < ${DECONFLICTION_P95_TARGET_MS} ms): ${pass ? 'PASS' : 'MISS'}; ` +
            `max ${fmt.ms(deconfliction.indexed.max)} ms; the naive scan p95 ${fmt.ms(deconfliction.naive.p95)} ms, median ${fmt.ratio(deconfliction.speedUp)}× slower; ` +
            `${deconfliction.conflicts.toLocaleString('en-US')} conflicts in ${deconfliction.plansWithConflicts} of ${deconfliction.plans} plans, both alike`,
          `recording a contact at ${CONTACT_RATE}/s: p99 ${fmt.ms(atRate.subject.p99)} ms against the bare insert's ${fmt.ms(atRate.baseline.p99)} ms, ratio ${fmt.ratio(contactRatio)} ` +
            `(median of ${atRate.ratios.length} alternating 2 s slices, ${range(atRate.ratios)}); ` +
            (backend === 'postgres' ? `target p99 < ${CONTACT_P99_TARGET_MS} ms on PostgreSQL (issue #13): ${passP99 ? 'PASS' : 'MISS'}` : `issue #13's target (p99 < ${CONTACT_P99_TARGET_MS} ms) is PostgreSQL's`) +
            (atRate.subject.perSec < 0.95 * CONTACT_RATE ? `; it did not keep up: ${fmt.int(atRate.subject.perSec)}/s answered, the queue grew through every slice` : '') +
            (atRate.subject.failed ? `; failed: ${failures(atRate.subject)}` : ''),
          `closed-loop maximum: ${fmt.int(maximum.subject.perSec)} contacts/s against ${fmt.int(maximum.baseline.perSec)} bare inserts/s, ratio ${fmt.ratio(maxRatio)} ` +
            `(median of ${maximum.ratios.length} 1 s slices, ${range(maximum.ratios)}); target ≥ ${CONTACT_THROUGHPUT_TARGET} (issue #13): ${passThroughput ? 'PASS' : 'MISS'}` +
            (maximum.subject.failed ? `; failed: ${failures(maximum.subject)}` : ''),
          `contacts per group commit: ${rateBatches.text} at ${CONTACT_RATE}/s; ${maximumBatches.text} at ${opts.connections} connections`,
          unanswered
            ? `contacts grew by ${grew.toLocaleString('en-US')}: the ${created.toLocaleString('en-US')} answered 201 and ${grew - created} of the ${unanswered} that got no reply`
            : `contacts grew by ${grew.toLocaleString('en-US')}, exactly the ${created.toLocaleString('en-US')} answered 201`,
          `outcome summary: ${fmt.int(reads.subject.perSec)} req/s against the bare read's ${fmt.int(reads.baseline.perSec)}, ratio ${fmt.ratio(readRatio)} (median of ${reads.ratios.length} 1 s slices, ${range(reads.ratios)}); ` +
            `p99 ${fmt.ms(reads.subject.p99)} ms against ${fmt.ms(reads.baseline.p99)} ms; ${closed.length} closed operations of ${fmt.int(median(closedContacts))} contacts at the median (up to ${fmt.int(Math.max(...closedContacts))})`,
        ],
        data: {
          dataset: { ...fixture.data, fingerprint: data.fingerprint, generatedSec: data.generatedSec },
          contacts: { rate: CONTACT_RATE, bare: atRate.baseline, record: atRate.subject, ratioP99: contactRatio, sliceRatios: atRate.ratios, targetP99: CONTACT_P99_TARGET_MS, passP99 },
          maximum: { connections: opts.connections, bare: maximum.baseline, record: maximum.subject, ratio: maxRatio, sliceRatios: maximum.ratios, target: CONTACT_THROUGHPUT_TARGET, pass: passThroughput },
          batches: { rate: rateBatches.stats, maximum: maximumBatches.stats },
          contactCount: { before, after, created, unanswered },
          outcome: { connections: OUTCOME_CONNECTIONS, operations: closed.length, contactsPerOperation: closedContacts, bare: reads.baseline, outcome: reads.subject, ratio: readRatio, sliceRatios: reads.ratios },
          deconfliction: { ...deconfliction, target: DECONFLICTION_P95_TARGET_MS, pass, indexedMs: times.indexedMs, naiveMs: times.naiveMs, conflictsPerPlan: times.conflicts },
        },
      };
    } finally {
      await target.stop();
    }
  },
};
