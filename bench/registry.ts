/**
 * Every benchmark of the suite, in issue order (B1–B9). A capability that is
 * not built yet stays listed as "not yet built"; building it means replacing
 * its entry here with a module under bench/benchmarks/.
 */
import { b1CreateMeeting } from "./benchmarks/b1-create-meeting";
import { b2GuestAdmission } from "./benchmarks/b2-guest-admission";
import { b5Dashboard } from "./benchmarks/b5-dashboard";
import { b6Database } from "./benchmarks/b6-database";
import { b7StaffSignIn } from "./benchmarks/b7-staff-sign-in";
import { b9JitsiCapacity } from "./benchmarks/b9-jitsi-capacity";
import type { BenchmarkEntry, PlannedBenchmark } from "./core/types";

const planned = (id: string, name: string, target: string, description: string): PlannedBenchmark => ({
  id,
  name,
  target,
  description,
  status: "not yet built",
});

export const BENCHMARKS: readonly BenchmarkEntry[] = [
  b1CreateMeeting,
  b2GuestAdmission,
  planned(
    "B3",
    "Bot invitation processing",
    "throughput >= 0.7 of raw; p95 request → delivered invite <= 2 s; transaction acknowledgement p95 <= 50 ms",
    "1,000 invitations across 50 rooms through the bots vs raw invites.",
  ),
  planned(
    "B4",
    "Room cleanup",
    "<= 1.1 × raw wall time",
    "Cleanup of 1,000 rooms, and of 50 rooms × 20 members, vs the raw admin-API deletions submitted directly.",
  ),
  b5Dashboard,
  b6Database,
  b7StaffSignIn,
  planned(
    "B8",
    "Soak: 12 meetings at once",
    "p95 under load <= 3 × idle for create, join and dashboard",
    "12 meetings, 20 guests each joining within 2 minutes, bots active, 50 dashboard sessions, 10 minutes.",
  ),
  b9JitsiCapacity,
];
