"use client";

import { useRouter } from "next/navigation";
import { clearQueryCache } from "@/components/query-provider";
import { DropdownMenu } from "@/components/ui/dropdown-menu";
import { LogOutIcon } from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";
import { AccountTrigger, type AccountMenuProps } from "./account-trigger";
import { ThemeMenuItems } from "./theme-menu";

/** The user menu: the theme choice and sign-out (loaded after the page by the app shell). */
export function AccountMenu({ email, theme, defaultOpen }: AccountMenuProps) {
  const router = useRouter();
  const toast = useToast();

  async function signOut() {
    try {
      const response = await fetch("/api/auth/sign-out", { method: "POST" });
      // 401 means the session is already gone, which is what signing out wants.
      if (!response.ok && response.status !== 401) throw new Error(`Sign-out failed (${response.status})`);
      // Nothing fetched for the signed-out admin may outlive the session.
      clearQueryCache();
      router.replace("/sign-in");
      router.refresh();
    } catch {
      toast.error("Could not sign out. Try again.");
    }
  }

  return (
    <DropdownMenu
      label="Account"
      defaultOpen={defaultOpen}
      trigger={<AccountTrigger email={email} />}
      items={[{ key: "sign-out", label: "Sign out", icon: <LogOutIcon />, onSelect: () => void signOut() }]}
    >
      <ThemeMenuItems initial={theme} />
    </DropdownMenu>
  );
}
