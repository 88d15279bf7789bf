"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

export function SignInButton({ label, busyLabel, callbackUrl }: { label: string; busyLabel: string; callbackUrl: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("oidc", { callbackUrl });
      }}
      className="rounded-md bg-brand-700 px-5 py-3 text-base font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
    >
      {busy ? busyLabel : label}
    </button>
  );
}
