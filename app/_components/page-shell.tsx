import type { ReactNode } from "react";

export function PageShell({ cityName, children, actions }: { cityName: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3">
          <p className="font-semibold text-brand-900">
            Stadtfunk <span className="font-normal text-slate-600">· {cityName}</span>
          </p>
          {actions}
        </div>
      </header>
      <main id="main" className="mx-auto flex max-w-4xl flex-col gap-8 px-4 py-10">
        {children}
      </main>
    </>
  );
}
