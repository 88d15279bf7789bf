/** What the policy bot tells the admins' room about an enforcement (German and English, like every notice). */
export interface AdminReport {
  de: string;
  en: string;
}

/** Posts a report into the admin room; does nothing while there is none. `key` makes a repeat a no-op. */
export type ReportToAdmins = (key: string, report: AdminReport) => Promise<void>;

export const noAdminReports: ReportToAdmins = async () => {};
