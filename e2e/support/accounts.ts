import fs from 'node:fs';
import path from 'node:path';
import { dataDirOf, type Backend } from './env.ts';

/** One line of `$LANTERN_DATA_DIR/demo-accounts.json`, as `bin/lantern demo` writes it. */
export interface DemoAccount {
  email: string;
  password: string;
  totpSecret: string;
  role: string;
  agency: string;
  platformAdmin?: boolean;
}

/**
 * The demo accounts by the local part of their email (`platform` is the platform administrator). The
 * first are Oak Grove PD's (with RISE's advocate and the Children's Division's caseworker); the others
 * belong to partner agencies of the task force.
 */
export type DemoUser =
  | 'admin'
  | 'coordinator'
  | 'officer'
  | 'analyst'
  | 'advocate'
  | 'caseworker'
  | 'pio'
  | 'platform'
  | 'kcpd-coordinator'
  | 'kcpd-officer'
  | 'mshp-officer'
  | 'relentless-advocate'
  | 'oakgrove-analyst'
  | 'ago-analyst'
  | 'springfield-analyst';
export type DemoAccounts = Record<DemoUser, DemoAccount>;

/** Anything that can finish sign-in with a TOTP code: a demo account, or a user the test created. */
export interface Credentials {
  email: string;
  password: string;
  totpSecret: string;
}

const cache = new Map<Backend, DemoAccounts>();

export function demoAccounts(backend: Backend): DemoAccounts {
  let accounts = cache.get(backend);
  if (!accounts) {
    const file = path.join(dataDirOf(backend), 'demo-accounts.json');
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoAccount[];
    accounts = Object.fromEntries(list.map((a) => [a.email.split('@')[0], a])) as DemoAccounts;
    for (const key of ['admin', 'coordinator', 'officer', 'pio', 'platform'] as const) {
      if (!accounts[key]) throw new Error(`${file} has no ${key}@ account`);
    }
    cache.set(backend, accounts);
  }
  return accounts;
}
