/** Logto's hook name is optional (created through the API without one): show "Unnamed webhook", never an empty heading or link. */
export const hookName = (hook: { name: string }) => hook.name || "Unnamed webhook";
