import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium; tests never download a browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The machine's network is closed: without these, Chromium keeps trying to reach its vendor's services.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}
