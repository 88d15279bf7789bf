import { currentSession } from "@/lib/auth/current-session";
import { AFTER_SIGN_IN } from "@/lib/auth/auth-options";
import { portalRuntime } from "@/lib/portal/runtime";
import { PageShell } from "./_components/page-shell";
import { SignInButton } from "./_components/sign-in-button";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const { config } = portalRuntime();
  const signedIn = await currentSession();

  if (!signedIn) {
    return (
      <PageShell cityName={config.cityName}>
        <section className="flex flex-col gap-4">
          <h1 className="text-3xl font-bold text-brand-900">Stadtfunk</h1>
          <p className="text-lg text-slate-700">
            Chat und Videokonferenzen der Stadtverwaltung {config.cityName} – betrieben in der eigenen Infrastruktur.
          </p>
          <div>
            <SignInButton label="Mit dem Dienstkonto anmelden" callbackUrl={AFTER_SIGN_IN} />
          </div>
          <p className="text-sm text-slate-600">
            Sie melden sich mit Ihrem gewohnten Dienstkonto an (Single Sign-on). Ein weiteres Passwort gibt es nicht.
          </p>
        </section>
      </PageShell>
    );
  }

  const { person, session } = signedIn;
  const signOut = (
    <form method="post" action="/abmelden">
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
        Abmelden
      </button>
    </form>
  );
  return (
    <PageShell cityName={config.cityName} actions={signOut}>
      <section>
        <h1 className="text-2xl font-bold text-brand-900">Willkommen, {person.displayName}</h1>
        <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-slate-800">
          <dt className="font-medium">Bereiche</dt>
          <dd>{person.departments.length > 0 ? person.departments.join(", ") : "–"}</dd>
          <dt className="font-medium">Rolle</dt>
          <dd>{person.role === "admin" ? "Administration" : "Mitarbeiterin / Mitarbeiter"}</dd>
          <dt className="font-medium">Matrix-Konto</dt>
          <dd data-testid="matrix-user-id">
            {session.matrixUserId ?? (
              <a className="text-brand-700 underline" href="/matrix/connect">
                Jetzt verbinden
              </a>
            )}
          </dd>
        </dl>
      </section>
    </PageShell>
  );
}
