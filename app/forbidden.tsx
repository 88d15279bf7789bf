import { requestMessages } from "@/lib/i18n/request-locale";

export default async function Forbidden() {
  const { t } = await requestMessages();
  return (
    <main id="main" className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-12">
      <h1 className="text-2xl font-bold text-brand-900">{t.forbidden.title}</h1>
      <p className="text-lg text-slate-700">{t.forbidden.text}</p>
      <p>
        <a className="text-brand-700 underline" href="/">
          {t.common.overview}
        </a>
      </p>
    </main>
  );
}
