import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { businessAccess, noticeTemplateAccess, type BusinessRecord, type NoticeTemplateRecord } from './businesses.access.ts';

export type { BusinessRecord, NoticeTemplateRecord };

/** The business campaign's rules, each declared with its SQL form in `businesses.access.ts`. */
export const businessPolicy: Policy<BusinessRecord> = policyOf(businessAccess.grants);
export const noticeTemplatePolicy: Policy<NoticeTemplateRecord> = policyOf(noticeTemplateAccess.grants);
