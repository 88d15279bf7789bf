import type { PartnerStatus } from "../../drizzle/tables/partners";

/**
 * A partner is requested, then approved by city IT, and can be suspended
 * (and approved again). Nothing else: a suspended partner is never silently
 * back to "requested", and a request is never suspended before it was approved.
 */
const NEXT: Record<PartnerStatus, readonly PartnerStatus[]> = {
  requested: ["approved"],
  approved: ["suspended"],
  suspended: ["approved"],
};

export function canChangeStatus(from: PartnerStatus, to: PartnerStatus): boolean {
  return NEXT[from].includes(to);
}

export function nextStatuses(from: PartnerStatus): readonly PartnerStatus[] {
  return NEXT[from];
}

export const STATUS_LABELS: Record<PartnerStatus, string> = {
  requested: "beantragt",
  approved: "freigegeben",
  suspended: "gesperrt",
};
