/**
 * Every benchmark of the suite, in issue order (B1–B9). A capability that is
 * not built yet stays listed as "not yet built"; building it means replacing
 * its entry here with a module under bench/benchmarks/.
 */
import { b1CreateMeeting } from "./benchmarks/b1-create-meeting";
import { b2GuestAdmission } from "./benchmarks/b2-guest-admission";
import { b3Invitations } from "./benchmarks/b3-invitations";
import { b4RoomCleanup } from "./benchmarks/b4-room-cleanup";
import { b5Dashboard } from "./benchmarks/b5-dashboard";
import { b6Database } from "./benchmarks/b6-database";
import { b7StaffSignIn } from "./benchmarks/b7-staff-sign-in";
import { b8Soak } from "./benchmarks/b8-soak";
import { b9JitsiCapacity } from "./benchmarks/b9-jitsi-capacity";
import { bPartner } from "./benchmarks/b-partner";
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
  b3Invitations,
  b4RoomCleanup,
  b5Dashboard,
  b6Database,
  b7StaffSignIn,
  b8Soak,
  b9JitsiCapacity,
  // B-partner (federation issue): a partner change reaching 200 managed rooms.
  bPartner,
];
