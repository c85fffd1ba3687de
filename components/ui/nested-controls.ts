// Clicks on these inside a row belong to them (e.g. a row's menu), not to the row. A module of its
// own: the webhooks list's row-click island needs it without the table (and its tailwind-merge).
export const NESTED_CONTROLS = "a, button, input, select, textarea, label, [role='menu'], [role='menuitem']";
