import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { freePorts } from "../../../scripts/stack/ports";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { buildSynapseConfig, renderSynapseConfig } from "../../../lib/homeserver/synapse-config";
import { startSynapse, synapsePaths, type RunningSynapse } from "../../../lib/homeserver/synapse-process";
import { createLogger } from "../../../lib/log";
import { buildAppserviceRegistration } from "../../../lib/matrix/appservice-registration";

/**
 * Three real Synapses federating over TLS on loopback, each under its own
 * host name on its own address (server ACLs ignore ports and deny IP
 * literals, so names must differ by host). The names are added to
 * /etc/hosts while the tests run, which needs root. Certificates come from a
 * throwaway CA that only these servers trust (federation_custom_ca_list):
 * verification is relaxed for the tests only, never in the product.
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");
const VENV = path.join(ROOT, ".venv", "synapse");
const HOSTS_FILE = "/etc/hosts";
const HOSTS_MARKER = "# stadtfunk-federation-test";
export const FEDERATION_PORT = 8448;

export const SERVERS = {
  city: { host: "city.test", address: "127.0.0.2" },
  company: { host: "company.test", address: "127.0.0.3" },
  other: { host: "other.test", address: "127.0.0.4" },
} as const;
export type ServerKey = keyof typeof SERVERS;

/**
 * Without a port, as partners usually name their servers: Synapse finds no
 * .well-known or SRV record and connects to host:8448. (A server name with a
 * port would not match its own bare-host ACL entry: Synapse compares its
 * full name when it checks that an ACL does not shut itself out.)
 */
export const serverName = (key: ServerKey) => SERVERS[key].host;

export interface TestHomeserver {
  key: ServerKey;
  serverName: string;
  /** Client-server API (plain http on 127.0.0.1). */
  url: string;
  sharedSecret: string;
  asToken: string;
  userPrefix: string;
  stop(): Promise<void>;
}

export interface Federation {
  servers: Record<ServerKey, TestHomeserver>;
  caPem: string;
  stop(): Promise<void>;
}

export function skipReason(): string | null {
  if (process.getuid?.() !== 0) return "federation tests need root to map city.test/company.test/other.test in /etc/hosts";
  return null;
}

/** Replaces our lines in /etc/hosts (idempotent); `add: false` removes them. */
export async function updateHostsFile(add: boolean): Promise<void> {
  const text = await readFile(HOSTS_FILE, "utf8");
  const kept = text.split("\n").filter((line) => !line.includes(HOSTS_MARKER));
  while (kept.length > 0 && kept.at(-1) === "") kept.pop();
  if (add) for (const s of Object.values(SERVERS)) kept.push(`${s.address} ${s.host} ${HOSTS_MARKER}`);
  await writeFile(HOSTS_FILE, `${kept.join("\n")}\n`);
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run("openssl", args, { cwd, timeout: 30_000 });
}

/** A CA and one certificate per host name, signed by it. */
async function makeCertificates(dir: string): Promise<void> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    ["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Stadtfunk federation test CA",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    dir,
  );
  await Promise.all(
    Object.values(SERVERS).map(async ({ host }) => {
      await writeFile(
        path.join(dir, `${host}.ext`),
        `subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
      );
      await openssl(["req", ...ec, "-keyout", `${host}.key`, "-out", `${host}.csr`, "-subj", `/CN=${host}`], dir);
      await openssl(
        ["x509", "-req", "-in", `${host}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${host}.pem`,
          "-days", "2", "-extfile", `${host}.ext`],
        dir,
      );
    }),
  );
}

const secret = () => randomBytes(24).toString("base64url");

/**
 * Starts the three servers in parallel (SQLite). `whitelist` is each server's
 * federation allow-list besides itself, as the generated config would have it.
 */
export async function startFederation(whitelist: Record<ServerKey, ServerKey[]>): Promise<Federation> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-federation-"));
  const tlsDir = path.join(tmp, "tls");
  await run("mkdir", ["-p", tlsDir]);
  await updateHostsFile(true);
  const started: RunningSynapse[] = [];
  try {
    await makeCertificates(tlsDir);
    const ports = await freePorts(6);
    const keys = Object.keys(SERVERS) as ServerKey[];
    const servers = await Promise.all(
      keys.map(async (key, i): Promise<TestHomeserver> => {
        const { host, address } = SERVERS[key];
        const dataDir = path.join(tmp, key);
        const port = ports[i]!;
        const url = `http://127.0.0.1:${port}`;
        const sharedSecret = secret();
        const appservice = {
          id: "stadtfunk",
          port: ports[i + 3]!,
          // Nothing listens there: the tests act as the service's bot through its token.
          url: `http://127.0.0.1:${ports[i + 3]!}`,
          userPrefix: "_stadtfunk_",
          asToken: secret(),
          hsToken: secret(),
        };
        const paths = synapsePaths(dataDir);
        const configYaml = renderSynapseConfig(
          buildSynapseConfig({
            serverName: serverName(key),
            publicBaseUrl: url,
            port,
            dataDir,
            registrationSharedSecret: sharedSecret,
            appserviceRegistrationPaths: [paths.appserviceRegistration],
            logConfigPath: paths.logConfig,
            bcryptRounds: 4,
            federationDomainWhitelist: [serverName(key), ...whitelist[key].map(serverName)],
            federationListener: {
              port: FEDERATION_PORT,
              bindAddresses: [address],
              tlsCertificatePath: path.join(tlsDir, `${host}.pem`),
              tlsPrivateKeyPath: path.join(tlsDir, `${host}.key`),
            },
            federationCustomCaList: [path.join(tlsDir, "ca.pem")],
            ipRangeWhitelist: ["127.0.0.0/8"],
          }),
        );
        const synapse = await startSynapse({
          venvDir: VENV,
          dataDir,
          configYaml,
          appserviceRegistrationYaml: stringify(buildAppserviceRegistration({ appservice, matrix: { serverName: serverName(key) } })),
          port,
          url,
          logger: createLogger(`synapse-${key}`, process.env.LOG_LEVEL ?? "error"),
          startTimeoutMs: 150_000,
        });
        started.push(synapse);
        return { key, serverName: serverName(key), url, sharedSecret, asToken: appservice.asToken, userPrefix: appservice.userPrefix, stop: synapse.stop };
      }),
    );
    const caPem = await readFile(path.join(tlsDir, "ca.pem"), "utf8");
    const byKey = Object.fromEntries(servers.map((s) => [s.key, s])) as Record<ServerKey, TestHomeserver>;
    return {
      servers: byKey,
      caPem,
      async stop() {
        await Promise.all(started.map((s) => s.stop()));
        await updateHostsFile(false);
        await rm(tmp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop().catch(() => {})));
    await updateHostsFile(false);
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
