export default function Forbidden() {
  return (
    <main id="main" className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-12">
      <h1 className="text-2xl font-bold text-brand-900">Kein Zugriff</h1>
      <p className="text-lg text-slate-700">
        Sie sind nicht Mitglied dieses Raums. Bitten Sie die Person, die den Raum verwaltet, um eine Einladung.
      </p>
      <p>
        <a className="text-brand-700 underline" href="/">
          Zur Übersicht
        </a>
      </p>
    </main>
  );
}
