export async function register() {
  // Next's documented switch; the Node-only start-up lives in its own module.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/portal/start-up");
  }
}
