import { INVITE_ONLY, isSameJoinRule, type JoinRuleContent } from "../rooms/join-rule";

export interface JoinRuleVerdict {
  before: string | null;
  corrected: JoinRuleContent;
}

/** Null when the room keeps its intended join rule (as created, from the rooms table); otherwise what to write back. */
export function judgeJoinRules(content: Record<string, unknown>, intended: JoinRuleContent = INVITE_ONLY): JoinRuleVerdict | null {
  if (isSameJoinRule(content, intended)) return null;
  const rule = typeof content.join_rule === "string" ? content.join_rule : null;
  // The whole content is replaced, so a foreign `allow` list cannot linger.
  return { before: rule, corrected: intended };
}
