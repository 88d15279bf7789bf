/**
 * The admin area's navigation. Each admin page adds its entry here, so city IT
 * finds every administrative function from any admin page.
 */
const ADMIN_PAGES: { href: string; label: string }[] = [
  { href: "/admin/people", label: "Personen" },
  { href: "/admin/protokoll", label: "Protokoll" },
  { href: "/admin/nutzungsregeln", label: "Nutzungsregeln" },
  { href: "/admin/richtlinie", label: "Richtlinie" },
  { href: "/admin/partner", label: "Partnerorganisationen" },
  { href: "/admin/aufbewahrung", label: "Aufbewahrung" },
];

export function AdminNav({ current }: { current: string }) {
  return (
    <nav aria-label="Administration" className="border-b border-slate-200 pb-3">
      <ul className="flex flex-wrap gap-4">
        {ADMIN_PAGES.map((page) => (
          <li key={page.href}>
            <a
              href={page.href}
              aria-current={page.href === current ? "page" : undefined}
              className={page.href === current ? "font-semibold text-brand-900" : "text-brand-700 underline"}
            >
              {page.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
