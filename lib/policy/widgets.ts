/**
 * Widgets run third-party pages inside every member's client, so a managed
 * room carries only the call the service put there. Element reads both the
 * legacy and the spec'd widget event type.
 */
export const WIDGET_EVENT_TYPES: readonly string[] = ["im.vector.modular.widgets", "m.widget"];
export const APPROVED_WIDGET_TYPES: readonly string[] = ["jitsi", "m.jitsi"];

export type WidgetViolation = "not-added-by-service" | "type-not-approved";

export interface WidgetStateEvent {
  sender: string;
  content: Record<string, unknown>;
}

/** True for an emptied widget event, which is how a widget is removed. */
export function isRemovedWidget(content: Record<string, unknown>): boolean {
  return Object.keys(content).length === 0;
}

/** Null when the widget may stay; otherwise why it has to go. */
export function judgeWidget(event: WidgetStateEvent, isServiceUser: (userId: string) => boolean): WidgetViolation | null {
  if (isRemovedWidget(event.content)) return null;
  if (!isServiceUser(event.sender)) return "not-added-by-service";
  const type = event.content.type;
  if (typeof type !== "string" || !APPROVED_WIDGET_TYPES.includes(type)) return "type-not-approved";
  return null;
}
