import type { ReactNode } from "react";
import { requestMessages } from "@/lib/i18n/request-locale";

/** Header with the city, the language switch and page actions; the main landmark for the content. */
export async function PageShell({
  cityName,
  children,
  actions,
  path = "/",
}: {
  cityName: string;
  children: ReactNode;
  actions?: ReactNode;
  /** Where the language switch returns to. */
  path?: string;
}) {
  const { locale, t } = await requestMessages();
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <p className="font-semibold text-brand-900">
            Stadtfunk <span className="font-normal text-slate-600">· {cityName}</span>
          </p>
          <div className="flex items-center gap-3">
            <form method="post" action="/sprache">
              <input type="hidden" name="lang" value={locale === "de" ? "en" : "de"} />
              <input type="hidden" name="back" value={path} />
              <button type="submit" className="text-sm text-brand-700 underline" lang={locale === "de" ? "en" : "de"}>
                {t.common.switchTo}
              </button>
            </form>
            {actions}
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto flex max-w-5xl flex-col gap-8 px-4 py-10">
        {children}
      </main>
      <footer className="mx-auto max-w-5xl px-4 pb-8 text-sm text-slate-700">
        <a className="underline" href="/barrierefreiheit">
          {t.footer.accessibility}
        </a>
      </footer>
    </>
  );
}
