import type { ReactNode } from "react";
import { FOREIGN_ORIGIN_MESSAGE } from "@/lib/portal/action-edge";

/**
 * The admin pages' answers after a redirecting action: `?fehler=<code>` shows
 * an error, a done-parameter a confirmation. Codes every admin action uses
 * are named here once; each page adds its own.
 */
export const COMMON_ERRORS: Record<string, string> = {
  herkunft: FOREIGN_ORIGIN_MESSAGE,
  eingabe: "Die Auswahl war ungültig.",
  "keine-berechtigung": "Dafür brauchen Sie die Rolle Administration.",
};

export function ErrorNotice({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
      {children}
    </p>
  );
}

export function DoneNotice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="rounded-md bg-green-50 p-3 text-green-900">
      {children}
    </p>
  );
}
