/** Managed rooms are invitation-only: nobody joins without being invited by a member. */
export const REQUIRED_JOIN_RULE = "invite";

export interface JoinRuleVerdict {
  before: string | null;
  corrected: { join_rule: string };
}

/** Null when the room keeps its join rule; otherwise what to write back. */
export function judgeJoinRules(content: Record<string, unknown>): JoinRuleVerdict | null {
  const rule = typeof content.join_rule === "string" ? content.join_rule : null;
  if (rule === REQUIRED_JOIN_RULE) return null;
  // `allow` only belongs to the restricted rules, so the whole content is replaced.
  return { before: rule, corrected: { join_rule: REQUIRED_JOIN_RULE } };
}
