import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "../_components/page-shell";

export const dynamic = "force-dynamic";
export const metadata = { title: "Anmeldung fehlgeschlagen" };

const messages: Record<string, string> = {
  AccessDenied: "Ihr Dienstkonto darf Stadtfunk nicht nutzen.",
  "matrix-state": "Die Anmeldung am Chat-Server war nicht mehr gültig. Bitte melden Sie sich erneut an.",
  "matrix-identity": "Das Chat-Konto gehört nicht zur angemeldeten Person. Bitte melden Sie sich erneut an.",
  "matrix-homeserver": "Der Chat-Server hat die Anmeldung nicht angenommen. Bitte versuchen Sie es erneut.",
};

export default async function SignInFailedPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { config } = portalRuntime();
  const { error } = await searchParams;
  return (
    <PageShell cityName={config.cityName}>
      <h1 className="text-2xl font-bold text-brand-900">Anmeldung fehlgeschlagen</h1>
      <p className="text-lg text-slate-700">
        {(error && messages[error]) ?? "Die Anmeldung konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut."}
      </p>
      <p>
        <a className="text-brand-700 underline" href="/">
          Zur Startseite
        </a>
      </p>
    </PageShell>
  );
}
