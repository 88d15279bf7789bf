import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current-session";
import { rulesForGuests } from "@/lib/guests/usage-rules";
import { rulesToAccept } from "@/lib/policy/staff-consent";
import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../_components/page-shell";
import { acceptRulesAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Nutzungsregeln zustimmen" };

const ERRORS: Record<string, string> = {
  herkunft: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt.",
  eingabe: "Die Zustimmung war ungültig. Bitte versuchen Sie es erneut.",
  "neue-fassung": "Inzwischen gilt eine neuere Fassung der Nutzungsregeln. Bitte lesen Sie sie und stimmen Sie erneut zu.",
};

/** Staff accept the current usage rules here (first sign-in, and after each new version). */
export default async function AcceptRulesPage({ searchParams }: { searchParams: Promise<{ fehler?: string }> }) {
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const { config, db } = portalRuntime();
  const pending = await rulesToAccept(db, signedIn.person.id, { homeserverToo: true });
  if (!pending) redirect("/");
  const rules = rulesForGuests(pending, config.cityName);
  const { fehler } = await searchParams;
  return (
    <PageShell cityName={config.cityName} path="/zustimmung">
      <h1 className="text-2xl font-bold text-brand-900">Nutzungsregeln (Version {rules.version})</h1>
      {fehler && ERRORS[fehler] && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {ERRORS[fehler]}
        </p>
      )}
      <p className="text-slate-800">
        Bevor Sie Stadtfunk nutzen, stimmen Sie bitte den Nutzungsregeln zu. Die Zustimmung gilt auch für Element.
      </p>
      <section lang="de" className="whitespace-pre-wrap rounded-md border border-slate-300 p-4">
        {rules.de.rules}
      </section>
      <details lang="en" className="rounded-md border border-slate-300 p-4">
        <summary className="font-medium">Usage rules in English</summary>
        <div className="mt-2 whitespace-pre-wrap">{rules.en.rules}</div>
      </details>
      <form action={acceptRulesAction}>
        <input type="hidden" name="version" value={rules.version} />
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">
          Ich stimme zu / <span lang="en">I accept</span>
        </button>
      </form>
    </PageShell>
  );
}
