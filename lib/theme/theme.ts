// The console's colour theme: the admin's choice, kept in a cookie so the server renders <html>
// with it (no flash before first paint, no inline script, so it holds under a nonce-based CSP).
// "system" sets no class and the CSS follows prefers-color-scheme (app/globals.css).
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_COOKIE = "theme";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

export function parseTheme(value: string | undefined): Theme {
  return THEMES.find((theme) => theme === value) ?? "system";
}

/** The class on <html>: pins light or dark; none follows the system. */
export function themeClass(theme: Theme): string | undefined {
  return theme === "system" ? undefined : theme;
}

/** The Set-Cookie value (also what document.cookie takes). Readable by scripts: it holds no secret. */
export function themeCookie(theme: Theme): string {
  return `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax`;
}
