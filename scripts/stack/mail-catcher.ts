import net from "node:net";
import path from "node:path";
import { MailDev } from "maildev";
import { freePort } from "./ports";

export interface MailCatcher {
  smtpUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

/** maildev's usual ports when free; otherwise any free one (the banner prints the URL). */
async function preferred(port: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
  return free ? port : freePort();
}

/**
 * The demo stack's mail catcher: invitation mails go here instead of to
 * anyone's inbox, and its web page shows them with their .ics. Loopback only;
 * mails are kept in the data directory across restarts.
 */
export async function startMailCatcher(dataDir: string): Promise<MailCatcher> {
  const smtp = await preferred(1025);
  const web = await preferred(1080);
  const maildev = new MailDev({
    smtp,
    ip: "127.0.0.1",
    web,
    webIp: "127.0.0.1",
    mailDirectory: path.join(dataDir, "mail"),
    silent: true,
  });
  await maildev.start();
  return { smtpUrl: `smtp://127.0.0.1:${smtp}`, webUrl: `http://127.0.0.1:${web}`, stop: () => maildev.stop() };
}
