import { portalRuntime } from "@/lib/portal/runtime";
import { portalHealth } from "@/lib/portal/health";

export const dynamic = "force-dynamic";

const componentLabels = {
  homeserver: "Matrix-Homeserver",
  database: "Datenbank",
  identityProvider: "Anmeldedienst (SSO)",
} as const;

export default async function HomePage() {
  const { config } = portalRuntime();
  const health = await portalHealth();
  return (
    <main id="main" className="mx-auto flex max-w-3xl flex-col gap-8 px-4 py-12">
      <header>
        <p className="text-sm font-medium uppercase tracking-wide text-brand-700">{config.cityName}</p>
        <h1 className="mt-1 text-3xl font-bold text-brand-900">Stadtfunk</h1>
        <p className="mt-2 text-lg text-slate-700">
          Chat und Videokonferenzen der Stadtverwaltung – betrieben in der eigenen Infrastruktur.
        </p>
      </header>

      <section aria-labelledby="status-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="status-heading" className="text-xl font-semibold">
          Systemstatus
        </h2>
        <ul className="mt-4 space-y-2">
          {(Object.keys(componentLabels) as (keyof typeof componentLabels)[]).map((name) => {
            const c = health.components[name];
            return (
              <li key={name} className="flex items-center justify-between gap-4">
                <span>{componentLabels[name]}</span>
                <span className={c.ok ? "font-medium text-green-800" : "font-medium text-red-800"}>
                  {c.ok ? "erreichbar" : "nicht erreichbar"}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
    </main>
  );
}
