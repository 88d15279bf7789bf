import { stringify } from "yaml";

export type PythonLogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

export interface SynapseLogConfigInput {
  /** INFO-level log file (e.g. <dataDir>/homeserver.log); absent means console only. */
  logFile?: string;
  /** What reaches stderr, and so the Stadtfunk log: WARNING keeps the console quiet. */
  consoleLevel?: PythonLogLevel;
  fileLevel?: PythonLogLevel;
}

/**
 * Synapse's log configuration (a Python logging dictConfig). The full INFO
 * log goes to a file for diagnosis; only warnings reach stderr, which
 * synapse-process forwards into the structured logger.
 */
export function buildSynapseLogConfig(input: SynapseLogConfigInput = {}): Record<string, unknown> {
  const consoleLevel = input.consoleLevel ?? "WARNING";
  const handlers: Record<string, unknown> = {
    console: {
      class: "logging.StreamHandler",
      formatter: "precise",
      level: consoleLevel,
      stream: "ext://sys.stderr",
    },
  };
  if (input.logFile) {
    handlers.file = {
      class: "logging.handlers.RotatingFileHandler",
      formatter: "precise",
      level: input.fileLevel ?? "INFO",
      filename: input.logFile,
      maxBytes: 10 * 1024 * 1024,
      backupCount: 3,
      encoding: "utf8",
    };
  }
  return {
    version: 1,
    formatters: {
      precise: {
        format: "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s",
      },
    },
    handlers,
    loggers: {
      // DEBUG here would log access tokens; keep it at INFO at most.
      "synapse.storage.SQL": { level: "INFO" },
      // Twisted's per-connection chatter adds nothing at INFO.
      twisted: { level: "WARNING" },
    },
    root: {
      level: input.logFile ? (input.fileLevel ?? "INFO") : consoleLevel,
      handlers: Object.keys(handlers),
    },
    disable_existing_loggers: false,
  };
}

export function renderSynapseLogConfig(config: Record<string, unknown>): string {
  return stringify(config, { lineWidth: 0 });
}
