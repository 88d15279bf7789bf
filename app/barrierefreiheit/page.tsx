import { requestMessages } from "@/lib/i18n/request-locale";
import { fill } from "@/lib/i18n/translate";
import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../_components/page-shell";

export const dynamic = "force-dynamic";
export const metadata = { title: "Barrierefreiheit / Accessibility" };

export default async function AccessibilityStatementPage() {
  const { config } = portalRuntime();
  const { t } = await requestMessages();
  const a = t.accessibility;
  const [before, after] = fill(a.feedback, { contact: "\u0000" }).split("\u0000");
  return (
    <PageShell cityName={config.cityName} path="/barrierefreiheit">
      <article className="flex max-w-3xl flex-col gap-4 text-slate-800">
        <h1 className="text-2xl font-bold text-brand-900">{a.title}</h1>
        <p>{fill(a.scope, { city: config.cityName })}</p>
        <p>{a.status}</p>
        <p>{a.limits}</p>
        <h2 className="text-xl font-semibold">{a.feedbackTitle}</h2>
        <p>
          {before}
          <a className="text-brand-700 underline" href={`mailto:${config.accessibilityContact}`}>
            {config.accessibilityContact}
          </a>
          {after}
        </p>
        <h2 className="text-xl font-semibold">{a.enforcementTitle}</h2>
        <p>{a.enforcement}</p>
      </article>
    </PageShell>
  );
}
