"use client";

import { useState } from "react";
import { MenuPrimitive, menuItemClassName } from "@/components/ui/dropdown-menu";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/ui/icons";
import { cn } from "@/components/ui/cn";
import { THEMES, themeClass, themeCookie, type Theme } from "@/lib/theme/theme";

const LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };
const ICONS = { system: MonitorIcon, light: SunIcon, dark: MoonIcon } as const;

/** Applies a theme now (the class on <html>) and for later visits (the cookie the server reads). */
function applyTheme(theme: Theme) {
  const root = document.documentElement;
  root.classList.remove("light", "dark");
  const className = themeClass(theme);
  if (className) root.classList.add(className);
  document.cookie = themeCookie(theme);
}

/** The theme choice in the user menu: a radio group of System, Light and Dark. */
export function ThemeMenuItems({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState(initial);
  return (
    <MenuPrimitive.Group>
      <MenuPrimitive.Label className="px-3 pb-1 pt-2 text-xs font-medium text-ink-muted">Theme</MenuPrimitive.Label>
      <MenuPrimitive.RadioGroup
        value={theme}
        onValueChange={(value) => {
          const next = THEMES.find((candidate) => candidate === value) ?? "system";
          setTheme(next);
          applyTheme(next);
        }}
      >
        {THEMES.map((value) => {
          const Icon = ICONS[value];
          return (
            <MenuPrimitive.RadioItem
              key={value}
              value={value}
              // Keeps the menu open, so trying the themes one after another takes no reopening.
              onSelect={(event) => event.preventDefault()}
              className={cn(menuItemClassName, "data-[state=checked]:font-medium data-[state=checked]:text-primary-600")}
            >
              <Icon />
              {LABELS[value]}
            </MenuPrimitive.RadioItem>
          );
        })}
      </MenuPrimitive.RadioGroup>
      <MenuPrimitive.Separator className="my-1 h-px bg-line" />
    </MenuPrimitive.Group>
  );
}
