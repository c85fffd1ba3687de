import { ChevronDownIcon, UserIcon } from "@/components/ui/icons";
import type { Theme } from "@/lib/theme/theme";

export type AccountMenuProps = { email: string; theme: Theme; defaultOpen?: boolean };

/** What the account button shows, the same before and after the menu's code has loaded. */
export function AccountTrigger({ email }: { email: string }) {
  return (
    <>
      <UserIcon className="text-ink-muted" />
      {/* Below 640 px the icon alone: the email would push the header past the viewport. */}
      <span className="sr-only max-w-56 truncate sm:not-sr-only" title={email}>
        {email}
      </span>
      <ChevronDownIcon className="text-ink-muted" />
    </>
  );
}
