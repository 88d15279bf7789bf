import type { DemoUser } from "./demo-users";

/**
 * HTML of the development identity provider: bilingual (German first), inline
 * CSS only and no external resources, so it works offline and under a strict
 * Content-Security-Policy.
 */

/** Our pages load nothing from anywhere; inline styles are the only exception. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'";

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef1f5;color:#1b1f24}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 .25rem}
.sub{color:#4a5360;margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.6rem;font:inherit;border:1px solid #8a939f;border-radius:.25rem}
input:focus,button:focus{outline:3px solid #1f6feb;outline-offset:2px}
button{font:inherit;padding:.65rem 1rem;border-radius:.25rem;border:1px solid #0b4fb3;background:#0b57d0;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4fb3}
.actions{display:flex;gap:.75rem;margin-top:1.5rem;flex-wrap:wrap}
.error{background:#fdecea;border:1px solid #b3261e;color:#8c1d18;padding:.75rem;border-radius:.25rem}
.demo{margin-top:1.5rem;padding:.75rem;background:#fff8e1;border:1px solid #d9a300;border-radius:.25rem;font-size:.9rem}
.demo ul{margin:.25rem 0 0;padding-left:1.2rem}
code{font-size:.95em}
`;

export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface LoginPageInput {
  uid: string;
  cityName: string;
  clientId: string;
  users: readonly DemoUser[];
  demoPassword: string;
  username?: string;
  error?: string;
}

export function loginPage(p: LoginPageInput): string {
  const base = `/interaction/${encodeURIComponent(p.uid)}`;
  const err = p.error
    ? `<p class="error" id="login-error" role="alert">${escapeHtml(p.error)}</p>`
    : "";
  const invalid = p.error ? ` aria-invalid="true" aria-describedby="login-error"` : "";
  const options = p.users
    .map((u) => `<option value="${escapeHtml(u.username)}">${escapeHtml(u.name)}</option>`)
    .join("");
  const accounts = p.users
    .map(
      (u) =>
        `<li><code>${escapeHtml(u.username)}</code> – ${escapeHtml(u.name)} (${escapeHtml(u.groups.join(", "))})</li>`,
    )
    .join("");
  return layout(
    "Anmelden / Sign in",
    `<h1>Anmelden <span lang="en">/ Sign in</span></h1>
<p class="sub">${escapeHtml(p.cityName)} – Anmeldung für <span lang="en">sign-in for</span> <code>${escapeHtml(p.clientId)}</code></p>
${err}
<form method="post" action="${base}/login">
<label for="username">Benutzername <span lang="en">/ Username</span></label>
<input id="username" name="username" type="text" list="demo-users" required autocapitalize="none" spellcheck="false" autocomplete="username" value="${escapeHtml(p.username)}"${invalid}${p.error ? "" : " autofocus"}>
<datalist id="demo-users">${options}</datalist>
<label for="password">Passwort <span lang="en">/ Password</span></label>
<input id="password" name="password" type="password" required autocomplete="current-password"${invalid}${p.error ? " autofocus" : ""}>
<div class="actions">
<button type="submit">Anmelden <span lang="en">/ Sign in</span></button>
<button type="submit" class="secondary" formaction="${base}/abort" formnovalidate>Abbrechen <span lang="en">/ Cancel</span></button>
</div>
</form>
<section class="demo" aria-labelledby="demo-title">
<strong id="demo-title">Nur Demo <span lang="en">/ Demo only</span></strong>
<p>Entwicklungs-Anmeldedienst. Passwort aller Demo-Konten <span lang="en">(password of all demo accounts)</span>: <code>${escapeHtml(p.demoPassword)}</code></p>
<ul>${accounts}</ul>
</section>`,
  );
}

export function messagePage(title: string, message: string, extra = ""): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${extra}`);
}

/** oidc-provider hands us its own hidden form (`op.logoutForm`) carrying the XSRF token. */
export function logoutPage(form: string): string {
  return layout(
    "Abmelden / Sign out",
    `<h1>Abmelden? <span lang="en">/ Sign out?</span></h1>
<p>Möchten Sie sich von allen Stadtfunk-Diensten abmelden? <span lang="en">Do you want to sign out of all Stadtfunk services?</span></p>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Ja, abmelden <span lang="en">/ Yes, sign out</span></button>
<button type="submit" form="op.logoutForm" class="secondary">Nein, angemeldet bleiben <span lang="en">/ No, stay signed in</span></button>
</div>`,
  );
}

export function logoutSuccessPage(): string {
  return messagePage(
    "Abgemeldet / Signed out",
    "Sie wurden abgemeldet und können dieses Fenster schließen. You have been signed out and may close this window.",
  );
}

export function errorPage(out: object): string {
  const rows = Object.entries(out)
    .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</p>`)
    .join("\n");
  return layout(
    "Fehler / Error",
    `<h1>Anmeldung nicht möglich <span lang="en">/ Sign-in failed</span></h1>
<div class="error" role="alert">${rows}</div>
<p>Bitte starten Sie die Anmeldung in der Anwendung neu. <span lang="en">Please restart the sign-in from the application.</span></p>`,
  );
}
