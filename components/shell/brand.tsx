import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { WebhookIcon } from "@/components/ui/icons";

/** The product's mark and name, on one line at every width; a link home. */
export function Brand({ size = "md", className }: { size?: "md" | "lg"; className?: string }) {
  return (
    <Link
      href="/webhooks"
      className={cn(
        "flex min-w-0 items-center gap-2 whitespace-nowrap rounded-md font-semibold text-ink",
        size === "lg" ? "text-lg" : "text-[15px]",
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cn(
          "flex shrink-0 items-center justify-center rounded-md bg-primary-solid text-white",
          size === "lg" ? "size-8" : "size-7",
        )}
      >
        <WebhookIcon size={size === "lg" ? 18 : 16} />
      </span>
      Webhook Console
    </Link>
  );
}
