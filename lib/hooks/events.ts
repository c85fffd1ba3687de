// The event catalog, defined once: it feeds zod validation, the console's event picker and the
// docs. Groups and order follow Logto's Console > Webhooks picker.
export const EVENT_GROUPS = [
  {
    id: "user",
    label: "User",
    events: [
      { name: "User.Created", description: "A user was created." },
      { name: "User.Deleted", description: "A user was deleted." },
      { name: "User.Data.Updated", description: "A user's profile data changed." },
      { name: "User.SuspensionStatus.Updated", description: "A user was suspended or reactivated." },
    ],
  },
  {
    id: "organization",
    label: "Organization",
    events: [
      { name: "Organization.Created", description: "An organization was created." },
      { name: "Organization.Deleted", description: "An organization was deleted." },
      { name: "Organization.Data.Updated", description: "An organization's data changed." },
      { name: "Organization.Membership.Updated", description: "Members were added to or removed from an organization." },
    ],
  },
  {
    id: "role",
    label: "Role",
    events: [
      { name: "Role.Created", description: "A role was created." },
      { name: "Role.Deleted", description: "A role was deleted." },
      { name: "Role.Data.Updated", description: "A role's data changed." },
      { name: "Role.Scopes.Updated", description: "Permissions were assigned to or removed from a role." },
    ],
  },
  {
    id: "organization-role",
    label: "Organization role",
    events: [
      { name: "OrganizationRole.Created", description: "An organization role was created." },
      { name: "OrganizationRole.Deleted", description: "An organization role was deleted." },
      { name: "OrganizationRole.Data.Updated", description: "An organization role's data changed." },
      { name: "OrganizationRole.Scopes.Updated", description: "Permissions of an organization role changed." },
    ],
  },
  {
    id: "permission",
    label: "Permission",
    events: [
      { name: "Scope.Created", description: "A permission (API resource scope) was created." },
      { name: "Scope.Deleted", description: "A permission was deleted." },
      { name: "Scope.Data.Updated", description: "A permission's data changed." },
    ],
  },
  {
    id: "organization-permission",
    label: "Organization permission",
    events: [
      { name: "OrganizationScope.Created", description: "An organization permission was created." },
      { name: "OrganizationScope.Deleted", description: "An organization permission was deleted." },
      { name: "OrganizationScope.Data.Updated", description: "An organization permission's data changed." },
    ],
  },
  {
    id: "interaction",
    label: "User interaction",
    events: [
      { name: "PostRegister", description: "A user finished registering." },
      { name: "PostSignIn", description: "A user finished signing in." },
      { name: "PostSignInAdaptiveMfaTriggered", description: "Adaptive MFA was triggered during sign-in." },
      { name: "PostResetPassword", description: "A user reset their password." },
    ],
  },
  {
    id: "security",
    label: "Security",
    events: [
      { name: "Identifier.Lockout", description: "An identifier was locked out after too many failed attempts." },
      { name: "Message.RateLimited", description: "Sending a message (email or SMS) was rate limited." },
      { name: "Grant.LimitExceeded", description: "A grant exceeded its limit." },
    ],
  },
] as const;

type Group = (typeof EVENT_GROUPS)[number];
export type HookEvent = Group["events"][number]["name"];

export const HOOK_EVENTS = EVENT_GROUPS.flatMap((group) => group.events.map((event) => event.name)) as [HookEvent, ...HookEvent[]];

const INTERACTION_EVENTS: ReadonlySet<string> = new Set([
  "PostRegister",
  "PostSignIn",
  "PostSignInAdaptiveMfaTriggered",
  "PostResetPassword",
]);

/** Interaction events carry session context; the others carry the management API request context. */
export const isInteractionEvent = (event: string) => INTERACTION_EVENTS.has(event);

export const isHookEvent = (value: string): value is HookEvent => (HOOK_EVENTS as readonly string[]).includes(value);

/**
 * The events a hook is subscribed to, as Logto decides it: `events` when it has any, otherwise
 * the legacy single `event` (a hook created with Logto's original API).
 */
export function subscribedEvents(hook: { events: readonly string[]; event?: string | null }): string[] {
  if (hook.events.length > 0) return [...hook.events];
  return hook.event ? [hook.event] : [];
}
