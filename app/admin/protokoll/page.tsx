import type { AuditEntry } from "@/drizzle/schema";
import { ACTION_GROUPS, actionLabel } from "@/lib/audit/action-labels";
import { auditPageForAdmin } from "@/lib/audit/audit-access";
import { auditFilterSchema, type AuditFilter } from "@/lib/audit/audit-query";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../_components/page-shell";
import { AdminNav } from "../_components/admin-nav";
import { ErrorNotice } from "../_components/notices";
import { forbiddenUnlessAdmin, signedInOrHome } from "../_lib/admin-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Protokoll" };

type Search = { aktion?: string; betroffen?: string; handelnd?: string; von?: string; bis?: string; seite?: string };

const FIELD_OF: Record<string, keyof Search> = { action: "aktion", subject: "betroffen", actor: "handelnd", from: "von", to: "bis", page: "seite" };

/** The page's German query names → the filter; the CSV route reads the same names. */
function filterInput(search: Search) {
  return { action: search.aktion, subject: search.betroffen, actor: search.handelnd, from: search.von, to: search.bis, page: search.seite };
}

function queryString(filter: Partial<AuditFilter>, page?: number): string {
  const q = new URLSearchParams();
  if (filter.action) q.set("aktion", filter.action);
  if (filter.subject) q.set("betroffen", filter.subject);
  if (filter.actor) q.set("handelnd", filter.actor);
  if (filter.from) q.set("von", filter.from);
  if (filter.to) q.set("bis", filter.to);
  if (page && page > 1) q.set("seite", String(page));
  const s = q.toString();
  return s ? `?${s}` : "";
}

function who(reference: string | null, names: Map<string, string>): string {
  if (!reference) return "–";
  const name = names.get(reference.replace(/^person:/, ""));
  return name ? `${name} (${reference})` : reference;
}

function EntryRow({ entry, names }: { entry: AuditEntry; names: Map<string, string> }) {
  const label = actionLabel(entry.action);
  return (
    <tr className="border-t border-slate-200 align-top">
      <td className="py-2 pr-4 whitespace-nowrap">
        <time dateTime={entry.at.toISOString()}>{formatCityTime(entry.at)}</time>
      </td>
      <td className="py-2 pr-4">
        {label}
        {label !== entry.action ? <span className="block font-mono text-xs text-slate-600">{entry.action}</span> : null}
      </td>
      <td className="py-2 pr-4 break-all">{who(entry.actor, names)}</td>
      <td className="py-2 pr-4 break-all">{who(entry.subject, names)}</td>
      <td className="py-2">
        {Object.keys(entry.details).length > 0 ? (
          <details>
            <summary className="cursor-pointer text-brand-700">anzeigen</summary>
            <pre className="mt-1 max-w-md overflow-x-auto whitespace-pre-wrap break-all text-xs">{JSON.stringify(entry.details, null, 2)}</pre>
          </details>
        ) : (
          "–"
        )}
      </td>
    </tr>
  );
}

function Field({ id, label, value, error, type = "text", list }: { id: keyof Search; label: string; value?: string; error?: string; type?: string; list?: string }) {
  return (
    <div className="flex flex-col">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={id}
        type={type}
        list={list}
        defaultValue={value ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="rounded-md border border-slate-300 px-2 py-1"
      />
      {error ? (
        <span id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export default async function AuditTrailPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { config, db } = portalRuntime();
  const signedIn = await signedInOrHome();
  const search = await searchParams;
  const parsed = auditFilterSchema.safeParse(filterInput(search));
  const errors: Partial<Record<keyof Search, string>> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[FIELD_OF[String(issue.path[0])] ?? "aktion"] ??= issue.message;
  // An invalid filter shows the form with its errors and no entries (never an unfiltered log by surprise).
  const filter: AuditFilter | null = parsed.success ? parsed.data : null;
  const page = await forbiddenUnlessAdmin(() => auditPageForAdmin(db, signedIn.person.id, filter ?? auditFilterSchema.parse({})));

  return (
    <PageShell cityName={config.cityName} path="/admin/protokoll">
      <AdminNav current="/admin/protokoll" />
      <h1 className="text-2xl font-bold text-brand-900">Protokoll</h1>
      <p className="text-slate-700">
        Was Administration, Räume, Gäste und die Bots verändert haben, neueste Einträge zuerst. Das Protokoll kann nicht
        geändert oder gelöscht werden.
      </p>
      <form method="get" action="/admin/protokoll" className="flex flex-wrap items-end gap-3" aria-label="Protokoll filtern">
        <Field id="aktion" label="Aktion (Anfang)" value={search.aktion} error={errors.aktion} list="aktionen" />
        <datalist id="aktionen">
          {ACTION_GROUPS.map((g) => (
            <option key={g.prefix} value={g.prefix}>
              {g.label}
            </option>
          ))}
        </datalist>
        <Field id="betroffen" label="Betroffen (genau)" value={search.betroffen} error={errors.betroffen} />
        <Field id="handelnd" label="Handelnd (genau)" value={search.handelnd} error={errors.handelnd} />
        <Field id="von" label="Von" type="date" value={search.von} error={errors.von} />
        <Field id="bis" label="Bis" type="date" value={search.bis} error={errors.bis} />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100">
          Filtern
        </button>
        <a href="/admin/protokoll" className="px-1 py-1.5 text-brand-700 underline">
          Zurücksetzen
        </a>
      </form>
      {filter ? (
        <>
          <p>
            <a className="text-brand-700 underline" href={`/admin/protokoll/export${queryString(filter)}`} download>
              Gefilterte Einträge als CSV herunterladen
            </a>
          </p>
          {page.entries.length === 0 ? (
            <p role="status">Keine Einträge für diese Auswahl.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead>
                <tr>
                  <th scope="col" className="py-2 pr-4">Zeitpunkt</th>
                  <th scope="col" className="py-2 pr-4">Aktion</th>
                  <th scope="col" className="py-2 pr-4">Handelnd</th>
                  <th scope="col" className="py-2 pr-4">Betroffen</th>
                  <th scope="col" className="py-2">Details</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => (
                  <EntryRow key={e.id} entry={e} names={page.names} />
                ))}
              </tbody>
            </table>
          )}
          <nav aria-label="Seiten" className="flex gap-4">
            {filter.page > 1 ? (
              <a className="text-brand-700 underline" href={`/admin/protokoll${queryString(filter, filter.page - 1)}`}>
                Neuere Einträge
              </a>
            ) : null}
            {page.hasMore ? (
              <a className="text-brand-700 underline" href={`/admin/protokoll${queryString(filter, filter.page + 1)}`}>
                Ältere Einträge
              </a>
            ) : null}
          </nav>
        </>
      ) : (
        <ErrorNotice>Bitte die markierten Angaben korrigieren.</ErrorNotice>
      )}
    </PageShell>
  );
}
