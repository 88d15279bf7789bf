import type { Metadata, Viewport } from "next";
import { requestMessages } from "@/lib/i18n/request-locale";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Stadtfunk", template: "%s · Stadtfunk" },
  description: "Chat und Videokonferenzen für die Stadtverwaltung",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { locale, t } = await requestMessages();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
        >
          {t.common.skipToContent}
        </a>
        {children}
      </body>
    </html>
  );
}
