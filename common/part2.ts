/**
 * The 42 CFR Part 2 notice a substance-use referral carries (issue #3, item 4). Kept here so the server's
 * referral and the web's screens show the same words.
 *
 * `PART2_NOTICE` is the short written statement of 42 CFR § 2.32(a)(2) (as amended in 2024) that must
 * accompany a disclosure made with the person's consent; the explanation beneath it is Lantern's own
 * plain-language summary. A task force whose counsel prefers the long statement of § 2.32(a)(1) changes
 * `PART2_NOTICE` here, and only here.
 */
export const PART2_NOTICE = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

export const PART2_CITATION = '42 CFR § 2.32';

export const PART2_EXPLANATION =
  'This referral asks for a substance-use service. Federal confidentiality rules (42 CFR part 2) protect ' +
  'information that identifies a person as having or having had a substance use disorder. Do not pass it on, ' +
  'and do not use it to investigate or prosecute the person, unless the person consents in writing or the rules ' +
  'otherwise allow it. A general authorization to release information is not enough.';
